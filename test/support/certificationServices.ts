/**
 * The certification activities' outside world for tests: a certificate authority in the test's
 * database under a fixed master key, links on a fixed base URL, and mail through the real SMTP
 * path to an embedded SMTP server on a free port, whose messages land in the same database.
 */
import type { DataSource } from 'typeorm';
import type { CertificationServices } from '../../infra/certificationServices';
import { startLocalSmtpServer, type LocalSmtpServer } from '../../infra/mail/localSmtpServer';
import { MailOutbox } from '../../infra/mail/mailOutbox';
import type { RaiseAlert } from '../../infra/alerts/raiseAlert';
import { createMailTransport, localMailSettings } from '../../infra/mail/mailTransport';
import { Pki } from '../../infra/pki/pki';
import { createPublicLinks } from '../../infra/publicLinks';

export const TEST_MASTER_KEY = Buffer.alloc(32, 0x5a);
export const TEST_BASE_URL = 'http://chungthuc.test';

export interface TestCertificationServices extends CertificationServices {
  smtpPort: number;
  /** Stops the mail server (connections refused), and starts it again on the same port. */
  stopSmtp(): Promise<void>;
  startSmtp(): Promise<void>;
  close(): Promise<void>;
}

export interface ServiceOptions {
  now?: () => number;
  /** The certificate authority's clock alone (revocations, CRLs), when it must follow another than `now`. */
  pkiNow?: () => number;
  /** The mail server refuses this many sends before it accepts any (a server that is down). */
  failFirstSends?: number;
  /** The mail server refuses every message for good (550, an unknown mailbox). */
  refuseForGood?: boolean;
  /** Error alerts of the activities (a citizen's e-mail that finally failed). */
  alerts?: RaiseAlert;
}

export async function startCertificationServices(db: DataSource, options: ServiceOptions = {}): Promise<TestCertificationServices> {
  const { now } = options;
  let smtp: LocalSmtpServer | undefined = await startLocalSmtpServer(db, { port: 0 });
  const smtpPort = smtp.port;
  const settings = localMailSettings(smtpPort);
  const transport = createMailTransport(settings);
  let refusals = options.failFirstSends ?? 0;
  transport.use('compile', (_mail, done) => {
    if (options.refuseForGood) return done(Object.assign(new Error('550 5.1.1 mailbox unavailable'), { code: 'EENVELOPE', responseCode: 550, permanent: true }));
    if (refusals <= 0) return done();
    refusals--;
    done(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1 (the mail server is down)'), { code: 'ECONNECTION' }));
  });
  return {
    pki: new Pki(db, { masterKey: TEST_MASTER_KEY, crlUrl: `${TEST_BASE_URL}/api/pki/crl`, ...(options.pkiNow ? { now: options.pkiNow } : now ? { now } : {}) }),
    links: createPublicLinks(TEST_BASE_URL, 'test verification link secret'),
    mail: new MailOutbox(db, transport, { from: settings.from, ...(now ? { now } : {}) }),
    smtpPort,
    stopSmtp: async () => {
      await smtp?.close();
      smtp = undefined;
    },
    startSmtp: async () => {
      smtp ??= await startLocalSmtpServer(db, { port: smtpPort });
    },
    close: async () => {
      transport.close();
      await smtp?.close();
    },
  };
}
