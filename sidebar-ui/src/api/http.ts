// The one HTTP client: JSON in and out, the service's {code, message} error envelope as ApiError.

/** ApiError is a failed call: the HTTP status and the service's error code. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message)
  }
}

/** request is one JSON call with any method; getJSON and postJSON are its common cases. */
export async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(0, 'network', '网络异常，请检查网络后重试')
  }
  if (res.status === 204) return undefined as T
  const data = await res.json().catch(() => ({}))
  if (!res.ok) {
    throw new ApiError(res.status, data.code ?? 'error', data.message ?? res.statusText)
  }
  return data as T
}

export const getJSON = <T>(url: string) => request<T>('GET', url)
export const postJSON = <T>(url: string, body: unknown) => request<T>('POST', url, body)
export const putJSON = <T>(url: string, body: unknown) => request<T>('PUT', url, body)

/** errorText turns an ApiError into a sentence for the guide. */
export function errorText(e: unknown): string {
  if (!(e instanceof ApiError)) return '出错了，请稍后重试'
  if (e.code === 'refused') return e.message // the service's own sentence, e.g. why WeCom refused an edit
  switch (e.status) {
    case 0:
      return e.message
    case 401:
      return '登录已失效，请重新打开侧边栏'
    case 403:
      return '无权查看：该客户或客户群不在你的名下'
    case 404:
      return '没有找到该记录'
    case 400:
      return '请求有误：' + e.message
    case 502:
      return '企业微信暂时无法响应，请稍后重试'
  }
  return '服务暂时不可用，请稍后重试'
}
