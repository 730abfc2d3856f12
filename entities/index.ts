/** Every table the application maps; the engine's tables live in their own schema. */
import { AuditEntryEntity } from './auditEntry';
import { CaseDocumentEntity } from './caseDocument';
import { AccountRequestEntity, CitizenAccountEntity, CitizenNotificationEntity } from './citizenAccount';
import { CitizenOtpFlowEntity, CitizenSessionEntity, CitizenSignatureChallengeEntity, SocialInsurancePersonEntity } from './citizenSession';
import { CalendarHolidayEntity, CalendarWorkingDayEntity, UnitOfficeHoursEntity } from './calendar';
import { CertificationBookEntity, CertificationNumberEntity } from './certificationNumber';
import { MailMessageEntity, MailOutboxEntity } from './mailMessage';
import { OfficerEntity, OfficerRightEntity, OfficerUnitEntity } from './officer';
import { PkiCertificateEntity } from './pkiCertificate';
import { SessionEntity } from './session';
import { SigningDelegationEntity } from './signingDelegation';
import { SmsMessageEntity } from './smsMessage';
import { UnitEntity } from './unit';

export const ENTITIES = [
  UnitEntity,
  OfficerEntity,
  OfficerUnitEntity,
  OfficerRightEntity,
  SigningDelegationEntity,
  SessionEntity,
  SmsMessageEntity,
  UnitOfficeHoursEntity,
  CalendarHolidayEntity,
  CalendarWorkingDayEntity,
  AuditEntryEntity,
  CertificationBookEntity, CertificationNumberEntity,
  MailOutboxEntity, MailMessageEntity,
  CaseDocumentEntity,
  PkiCertificateEntity,
  CitizenAccountEntity, AccountRequestEntity, CitizenNotificationEntity,
  CitizenSessionEntity, CitizenOtpFlowEntity, CitizenSignatureChallengeEntity, SocialInsurancePersonEntity,
];

export * from './auditEntry';
export * from './caseDocument';
export * from './citizenAccount';
export * from './citizenSession';
export * from './calendar';
export * from './certificationNumber';
export * from './mailMessage';
export * from './officer';
export * from './pkiCertificate';
export * from './session';
export * from './signingDelegation';
export * from './smsMessage';
export * from './unit';
