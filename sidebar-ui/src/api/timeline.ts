// The customer timeline API (GET /api/sidebar/customers/:id/timeline); types mirror handler/timeline.go.
import { getJSON } from './http'

export interface TimelineEntry {
  id: number
  at: string
  kind: string
  title: string
  text?: string
  by?: string
  guide_userid?: string
  guide_name?: string
  guide_resigned?: boolean
  mine: boolean
}

export interface TimelinePage {
  entries: TimelineEntry[]
  next: string
}

export const fetchTimeline = (id: string, before = '') =>
  getJSON<TimelinePage>(
    `/api/sidebar/customers/${encodeURIComponent(id)}/timeline` + (before ? `?before=${encodeURIComponent(before)}` : ''),
  )
