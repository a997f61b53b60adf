package main

import (
	"context"

	"github.com/guidebox/guidebox/service/tasks"
	"github.com/guidebox/guidebox/service/workbench"
)

// taskMaterials is tasks.Materials over the workbench's corp materials.
type taskMaterials struct{ wb *workbench.Service }

var (
	_ tasks.Materials = taskMaterials{}
	_ tasks.Stages    = taskStages{}
)

// MaterialAttachments resolves materials as 群发 attachments (pictures uploaded to WeCom first).
func (m taskMaterials) MaterialAttachments(ctx context.Context, ids []string) ([]tasks.Attachment, error) {
	ms, err := m.wb.TaskMaterials(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]tasks.Attachment, len(ms))
	for i, x := range ms {
		kind := tasks.KindLink
		if x.Kind == workbench.KindImage {
			kind = tasks.KindImage
		}
		out[i] = tasks.Attachment{Kind: kind, Title: x.Title, URL: x.URL, Desc: x.Desc, PicURL: x.PicURL, MediaID: x.MediaID, MaterialID: x.ID}
	}
	return out, nil
}

// taskStages is tasks.Stages over the workbench's pipeline.
type taskStages struct{ wb *workbench.Service }

// KnownStage reports whether the pipeline has a live stage of this name.
func (s taskStages) KnownStage(ctx context.Context, stage string) (bool, error) {
	return s.wb.KnownStage(ctx, stage)
}

// InStage says which of the customers stand in the stage.
func (s taskStages) InStage(ctx context.Context, stage string, ids []string) (map[string]bool, error) {
	return s.wb.InStage(ctx, stage, ids)
}
