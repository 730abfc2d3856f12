/**
 * Files the API sends only with a session (scans, PDFs, reports): fetched with the token and
 * handed to the page as object URLs, so an <iframe> can show them, or saved as downloads. An object
 * URL has no name of its own (a tab showing one saves it as a random UUID), so a file to keep is
 * always a download, named as the API names it in Content-Disposition ("<case code>-ban-sao-chung-thuc.pdf").
 */
import { useEffect, useState } from 'react';
import { ApiProblem, session } from '../../api';

export interface FetchedFile {
  url: string;
  mimeType: string;
  blob: Blob;
  /** The name the API gave the file (Content-Disposition), if any. */
  fileName?: string;
}

/** The file name of a Content-Disposition header: the UTF-8 `filename*` first, else `filename`. */
export function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1]!.trim());
    } catch {
      // a malformed encoding: fall back to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(disposition);
  return (plain?.[1] ?? plain?.[2])?.trim() || undefined;
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

/** The API's names of the object URLs made here, so a preview of one can offer it for download under that name. */
const namesByUrl = new Map<string, string>();

/** The name the API gave the file behind an object URL made by fetchFile, if any. */
export function fileNameOfUrl(url: string): string | undefined {
  return namesByUrl.get(url);
}

function release(f: FetchedFile): void {
  URL.revokeObjectURL(f.url);
  namesByUrl.delete(f.url);
}

export async function fetchFile(path: string, as: 'officer' | 'citizen' = 'officer'): Promise<FetchedFile> {
  const token = as === 'citizen' ? session.citizen : session.officer;
  let res: Response;
  try {
    res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiProblem(0, 'NETWORK', 'Không kết nối được với hệ thống, kiểm tra mạng rồi thử lại.', 'Cannot reach the server; check the network and try again.', undefined);
  }
  if (!res.ok) throw await problemFrom(res);
  const blob = await res.blob();
  const fetched = { url: URL.createObjectURL(blob), mimeType: blob.type || (res.headers.get('content-type') ?? ''), blob, fileName: fileNameOf(res.headers.get('content-disposition')) };
  if (fetched.fileName) namesByUrl.set(fetched.url, fetched.fileName);
  return fetched;
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
        else release(f);
      })
      .catch((err: unknown) => live && setProblem(err));
    return () => {
      live = false;
      if (made) release(made);
    };
  }, [path]);
  return { file, problem };
}

/** Saves a file the API sends as a browser download, under the API's name for it, else `filename`. */
export async function downloadFile(path: string, filename?: string, as: 'officer' | 'citizen' = 'officer'): Promise<void> {
  const f = await fetchFile(path, as);
  const a = document.createElement('a');
  a.href = f.url;
  a.download = f.fileName ?? filename ?? 'tep-tai-ve';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The browser has taken the bytes once the click is handled.
  setTimeout(() => release(f), 10_000);
}
