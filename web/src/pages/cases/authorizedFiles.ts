/**
 * Files the API sends only with the officer's session (scans, PDFs): fetched with the token and
 * handed to the page as object URLs, so an <iframe> or a download link can show them.
 */
import { useEffect, useState } from 'react';
import { ApiProblem, session } from '../../api';

export interface FetchedFile {
  url: string;
  mimeType: string;
  blob: Blob;
}

async function problemFrom(res: Response): Promise<ApiProblem> {
  try {
    const body = (await res.json()) as { error?: { code: string; message: string; messageEn: string; details?: Record<string, unknown> } };
    if (body.error) return new ApiProblem(res.status, body.error.code, body.error.message, body.error.messageEn, body.error.details);
  } catch {
    // not JSON
  }
  return new ApiProblem(res.status, `HTTP_${res.status}`, `Không tải được tệp (lỗi ${res.status}).`, `The file could not be loaded (${res.status}).`, undefined);
}

export async function fetchFile(path: string): Promise<FetchedFile> {
  const token = session.officer;
  let res: Response;
  try {
    res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiProblem(0, 'NETWORK', 'Không kết nối được với hệ thống, kiểm tra mạng rồi thử lại.', 'Cannot reach the server; check the network and try again.', undefined);
  }
  if (!res.ok) throw await problemFrom(res);
  const blob = await res.blob();
  return { url: URL.createObjectURL(blob), mimeType: blob.type || (res.headers.get('content-type') ?? ''), blob };
}

/** The file at `path` (null: none yet) as an object URL, released when the path changes or the screen closes. */
export function useAuthorizedFile(path: string | null): { file: FetchedFile | null; problem: unknown } {
  const [file, setFile] = useState<FetchedFile | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    if (!path) {
      setFile(null);
      return;
    }
    let live = true;
    let made: FetchedFile | null = null;
    setProblem(null);
    fetchFile(path)
      .then((f) => {
        made = f;
        if (live) setFile(f);
        else URL.revokeObjectURL(f.url);
      })
      .catch((err: unknown) => live && setProblem(err));
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made.url);
    };
  }, [path]);
  return { file, problem };
}

/** Saves a file the API sends under `filename`, as a browser download. */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const f = await fetchFile(path);
  const a = document.createElement('a');
  a.href = f.url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The browser has taken the bytes once the click is handled.
  setTimeout(() => URL.revokeObjectURL(f.url), 10_000);
}
