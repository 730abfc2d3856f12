/** What the timeline says a finished delivery did, with the e-mail's first attempt that delivery makes. */
import { expect } from 'chai';
import { activityOutcome } from './historyLabels';

const channels = [
  { channel: 'officer_account', status: 'delivered', detail: 'Lò Thị Hoa' },
  { channel: 'email', status: 'queued', detail: 'pao@example.vn' },
];

describe('audit labels: the delivery activity', () => {
  it('names the channels, and the message when delivery sent the e-mail', () => {
    expect(activityOutcome('deliverResult', {}, { channels, email: { sent: { messageId: '<m1@chungthuc.local>', status: 'sent' } } }).text).to.deep.equal({
      vi: 'tài khoản cán bộ tiếp nhận: đã chuyển, email: đang gửi; email đã gửi, thư <m1@chungthuc.local>',
      en: "receiving officer's account: delivered, e-mail: being sent; e-mail sent, message <m1@chungthuc.local>",
    });
  });

  it('says why the first attempt failed, and nothing of the e-mail for a delivery that did not try it', () => {
    expect(activityOutcome('deliverResult', {}, { channels, email: { error: 'ECONNREFUSED', permanent: false } }).text?.vi).to.match(/; email lần đầu chưa gửi được: ECONNREFUSED$/);
    expect(activityOutcome('deliverResult', {}, { channels }).text?.vi).to.equal('tài khoản cán bộ tiếp nhận: đã chuyển, email: đang gửi');
  });
});
