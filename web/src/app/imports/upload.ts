/**
 * The one upload that reports its progress: fetch cannot tell how much of a request body has been sent, so the file
 * goes up with XMLHttpRequest. Same conventions as api/client.ts: the session cookie, the CSRF header, the UI's
 * language, errors as ApiError. Option fields go before the file (the API reads them before the file streams).
 */
import { ApiError, requestLanguage, type ApiErrorDetail } from '../../api/client.ts';

/** The API's answer once it has the file (202): the import goes on in the background. */
export interface ImportAccepted {
  import_id: number;
  entity: string;
  status: 'running';
  dry_run: boolean;
}

export function uploadImport(entity: string, fields: Record<string, string>, file: File, onProgress: (sent: number, total: number) => void): Promise<ImportAccepted> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/imports/${encodeURIComponent(entity)}?async=true`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', requestLanguage());
    xhr.setRequestHeader('x-requested-with', 'fetch');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'the upload did not reach the server'));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 202) return resolve(body as ImportAccepted);
      const e = (body ?? {}) as { code?: string; message?: string; details?: ApiErrorDetail[] };
      reject(new ApiError(xhr.status, e.code ?? 'http_error', e.message ?? `${xhr.status} ${xhr.statusText}`, e.details ?? []));
    };
    xhr.send(form);
  });
}
