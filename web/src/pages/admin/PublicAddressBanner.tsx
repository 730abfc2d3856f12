/**
 * While the public address (PUBLIC_BASE_URL) is a loopback one, the QR codes and verification links
 * printed on citizens' copies point at the server itself: administrators are told at the top of
 * their screens, with what it breaks and who can fix it.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { useI18n } from '../../i18n';

export function PublicAddressBanner() {
  const { t } = useI18n();
  const [address, setAddress] = useState<{ baseUrl: string | null; loopback: boolean } | null>(null);
  useEffect(() => {
    // A failed check shows nothing: the banner is advice, not a reason to block the screen.
    api<{ baseUrl: string | null; loopback: boolean }>('GET', '/api/admin/public-address').then(setAddress, () => setAddress(null));
  }, []);
  if (!address?.loopback) return null;
  return (
    <div className="warning-banner" role="alert" data-testid="public-address-warning">
      <strong>{t('Địa chỉ công khai chưa được cấu hình.', 'The public address is not set.')}</strong>{' '}
      {t(
        `Mã QR và đường dẫn kiểm tra in trên bản sao chứng thực đang trỏ tới ${address.baseUrl} — địa chỉ chỉ máy chủ này mở được, điện thoại của công dân không mở được. Đề nghị người quản trị hệ thống đặt biến PUBLIC_BASE_URL là địa chỉ công dân truy cập (ví dụ https://motcua.tamduong.laichau.gov.vn) rồi khởi động lại, trước khi cấp bản sao.`,
        `The QR codes and verification links printed on certified copies point at ${address.baseUrl}, an address only this server can open; citizens' phones cannot. Ask the system administrator to set PUBLIC_BASE_URL to the address citizens reach (e.g. https://motcua.tamduong.laichau.gov.vn) and restart, before issuing copies.`,
      )}
    </div>
  );
}
