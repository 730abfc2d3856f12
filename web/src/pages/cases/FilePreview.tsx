/** A scan or a PDF shown inline: PDFs in a frame with the browser's viewer, images as they are. */
import { useI18n } from '../../i18n';

export function FilePreview(props: { url: string; mimeType: string; title: string; height?: number }) {
  const { t } = useI18n();
  const height = props.height ?? 520;
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
      <a className="cs-file-preview-open" href={props.url} target="_blank" rel="noreferrer">
        {t('Mở trong thẻ mới', 'Open in a new tab')}
      </a>
    </div>
  );
}
