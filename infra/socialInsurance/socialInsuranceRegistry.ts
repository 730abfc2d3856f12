/**
 * The social-insurance registry (Bảo hiểm xã hội Việt Nam), asked during registration by
 * social-insurance number (mã số BHXH, 10 digits): who the insured person is and which mobile
 * the registry knows for them, where the registration code is sent. Two implementations: the
 * registry's HTTP service (SOCIAL_INSURANCE_URL) and, by default, a local table
 * (`social_insurance_people`) that a one-machine installation and the demo fill themselves.
 */
import type { DataSource } from 'typeorm';

export interface InsuredPerson {
  /** The personal ID number the registry holds. */
  idNumber: string;
  fullName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  phone: string;
}

export interface SocialInsuranceRegistry {
  /** The insured person, or undefined when the number is unknown; throws when the registry cannot answer. */
  lookup(socialInsuranceNumber: string): Promise<InsuredPerson | undefined>;
}

export const SOCIAL_INSURANCE_NUMBER = /^\d{10}$/;

/** The registry kept in this database. */
export class LocalSocialInsuranceRegistry implements SocialInsuranceRegistry {
  constructor(private readonly db: DataSource) {}

  async lookup(socialInsuranceNumber: string): Promise<InsuredPerson | undefined> {
    const rows: Array<{ id_number: string; full_name: string; birth_date: string; phone: string }> = await this.db.query(
      `select id_number, full_name, to_char(birth_date, 'YYYY-MM-DD') as birth_date, phone from social_insurance_people where social_insurance_number = $1`,
      [socialInsuranceNumber],
    );
    const r = rows[0];
    return r ? { idNumber: r.id_number, fullName: r.full_name, birthDate: r.birth_date, phone: r.phone } : undefined;
  }

  /** Adds or replaces a person (the demo seed, tests). */
  async put(socialInsuranceNumber: string, person: InsuredPerson): Promise<void> {
    await this.db.query(
      `insert into social_insurance_people (social_insurance_number, id_number, full_name, birth_date, phone) values ($1, $2, $3, $4, $5)
       on conflict (social_insurance_number) do update set id_number = excluded.id_number, full_name = excluded.full_name, birth_date = excluded.birth_date, phone = excluded.phone`,
      [socialInsuranceNumber, person.idNumber, person.fullName, person.birthDate, person.phone],
    );
  }
}
