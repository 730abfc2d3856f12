/**
 * A scan or a PDF shown inline: PDFs in a frame with the browser's viewer, images as they are. A
 * file from the API is offered for download under the API's name for it ("…-ban-sao-chung-thuc.pdf"):
 * a tab opened on its object URL would save it under a random UUID. The officer's own file, chosen
 * but not sent yet, opens in a tab.
 */
import { useI18n } from '../../i18n';
import { fileNameOfUrl } from './authorizedFiles';

export function FilePreview(props: { url: string; mimeType: string; title: string; height?: number }) {
  const { t } = useI18n();
  const height = props.height ?? 520;
  const named = fileNameOfUrl(props.url);
  if (props.mimeType.startsWith('image/')) {
    return (
      <div className="cs-file-preview" style={{ maxHeight: height }}>
        <img src={props.url} alt={props.title} />
      </div>
    );
  }
  return (
    <div className="cs-file-preview">
      <iframe src={props.url} title={props.title} style={{ height }} />
      {named ? (
        <a className="cs-file-preview-open" href={props.url} download={named}>
          {t(`Tải về (${named})`, `Download (${named})`)}
        </a>
      ) : (
        <a className="cs-file-preview-open" href={props.url} target="_blank" rel="noreferrer">
          {t('Mở trong thẻ mới', 'Open in a new tab')}
        </a>
      )}
    </div>
  );
}
