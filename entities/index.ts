/** Every table the application maps; the engine's tables live in their own schema. */
import { AuditEntryEntity } from './auditEntry';
import { CalendarHolidayEntity, CalendarWorkingDayEntity, UnitOfficeHoursEntity } from './calendar';
import { CertificationBookEntity, CertificationNumberEntity } from './certificationNumber';
import { OfficerEntity, OfficerRightEntity, OfficerUnitEntity } from './officer';
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
];

export * from './auditEntry';
export * from './calendar';
export * from './certificationNumber';
export * from './officer';
export * from './session';
export * from './signingDelegation';
export * from './smsMessage';
export * from './unit';
