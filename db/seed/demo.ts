/**
 * Demo data for the run command: a province, a district, two communes each with a one-stop desk,
 * officers holding each right (one of them several), an administrator, a citizen with a portal
 * account and two people the local social-insurance registry knows. Seeds only an empty
 * database, so restarting the system keeps what officers changed.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Right } from '../../domain/rights';
import { foldForSearch } from '../../domain/foldForSearch';
import { hashPassword } from '../../infra/passwords';

export const DEMO_PASSWORD = 'chungthuc2026';

/** A citizen with a portal account (registered by mobile phone), to log in to the portal with. */
export const DEMO_CITIZEN = { idNumber: '012090001234', fullName: 'Giàng A Páo', birthDate: '1990-05-12', phone: '0987654321', email: 'pao@example.vn', password: 'CongDan@2026' };

/** People the local social-insurance registry knows, for registration by social-insurance number. */
export const DEMO_INSURED = [
  { socialInsuranceNumber: '0112345678', idNumber: '012195004321', fullName: 'Lý Thị Mẩy', birthDate: '1995-02-14', phone: '0977123456' },
  { socialInsuranceNumber: '0198765432', idNumber: '012088007654', fullName: 'Tráng A Sử', birthDate: '1988-11-30', phone: '0966123456' },
];

interface DemoUnit {
  key: string;
  code: string;
  name: string;
  level: 'province' | 'district' | 'commune' | 'office';
  parent?: string;
}

const UNITS: DemoUnit[] = [
  { key: 'province', code: '000.00.00.H35', name: 'UBND tỉnh Lai Châu', level: 'province' },
  { key: 'district', code: '000.00.43.H35', name: 'UBND huyện Tam Đường', level: 'district', parent: 'province' },
  { key: 'nungNang', code: '000.15.43.H35', name: 'UBND xã Nùng Năng', level: 'commune', parent: 'district' },
  { key: 'nungNangDesk', code: '000.15.43.H35.01', name: 'Bộ phận Một cửa xã Nùng Năng', level: 'office', parent: 'nungNang' },
  { key: 'banBo', code: '000.16.43.H35', name: 'UBND xã Bản Bo', level: 'commune', parent: 'district' },
  { key: 'banBoDesk', code: '000.16.43.H35.01', name: 'Bộ phận một cửa xã Bản Bo', level: 'office', parent: 'banBo' },
];

export interface DemoOfficer {
  username: string;
  fullName: string;
  citizenId: string;
  phone: string;
  email: string;
  /** Chức danh, shown in the certification block of the copies he signs or seals. */
  jobTitle?: string;
  units: string[];
  rights: Right[];
  role: string;
}

export const DEMO_OFFICERS: DemoOfficer[] = [
  { username: 'quantri', fullName: 'Nguyễn Văn Quản', citizenId: '035080000101', phone: '0912000101', email: 'quantri@tamduong.example.vn', units: ['district'], rights: ['USER_ADMIN'], role: 'quản trị huyện' },
  { username: 'quantri.tinh', fullName: 'Lò Thị Tỉnh', citizenId: '035080000199', phone: '0912000199', email: 'quantri@laichau.example.vn', units: ['province'], rights: ['USER_ADMIN'], role: 'quản trị tỉnh (cảnh báo lỗi)' },
  { username: 'lan.tn', fullName: 'Trần Ngọc Lan', citizenId: '035190000102', phone: '0912000102', email: 'lan.tn@nungnang.example.vn', units: ['nungNangDesk'], rights: ['CERT_CREATE', 'ACCOUNT_CREATE', 'SUPPORT_MANAGE'], jobTitle: 'Công chức Tư pháp – Hộ tịch', role: 'công chức một cửa Nùng Năng (nhiều quyền)' },
  { username: 'hung.lv', fullName: 'Lò Văn Hùng', citizenId: '035075000103', phone: '0912000103', email: 'hung.lv@nungnang.example.vn', units: ['nungNang'], rights: ['CERT_SIGN'], jobTitle: 'Phó Chủ tịch UBND xã', role: 'lãnh đạo UBND xã Nùng Năng' },
  { username: 'mai.pt', fullName: 'Phạm Thị Mai', citizenId: '035188000104', phone: '0912000104', email: 'mai.pt@nungnang.example.vn', units: ['nungNang'], rights: ['CERT_SEAL'], jobTitle: 'Văn thư', role: 'văn thư xã Nùng Năng' },
  { username: 'binh.dt', fullName: 'Đỗ Thanh Bình', citizenId: '035082000105', phone: '0912000105', email: 'binh.dt@nungnang.example.vn', units: ['nungNang'], rights: ['CASE_SUPERVISE', 'CERT_REPORT'], role: 'giám sát xã Nùng Năng' },
  { username: 'thao.vt', fullName: 'Vàng Thị Thảo', citizenId: '035192000106', phone: '0912000106', email: 'thao.vt@banbo.example.vn', units: ['banBoDesk'], rights: ['CERT_CREATE', 'CERT_SEAL', 'ACCOUNT_CREATE'], role: 'công chức một cửa Bản Bo' },
  { username: 'son.lv', fullName: 'Lý Văn Sơn', citizenId: '035070000107', phone: '0912000107', email: 'son.lv@banbo.example.vn', units: ['banBo'], rights: ['CERT_SIGN'], jobTitle: 'Chủ tịch UBND xã', role: 'lãnh đạo UBND xã Bản Bo' },
  { username: 'hotro', fullName: 'Nguyễn Thị Hỗ Trợ', citizenId: '035186000109', phone: '0912000109', email: 'hotro@laichau.example.vn', units: ['province'], rights: ['SUPPORT_HANDLE'], role: 'tổ hỗ trợ kỹ thuật của tỉnh (xử lý yêu cầu hỗ trợ)' },
  { username: 'daumoi.tinh', fullName: 'Đào Văn Đầu Mối', citizenId: '035087000110', phone: '0912000110', email: 'daumoi@laichau.example.vn', units: ['province'], rights: ['INTEGRATION_CHECK'], role: 'cán bộ đầu mối tích hợp của tỉnh (kiểm tra API)' },
  { username: 'kiemtra', fullName: 'Hoàng Minh Kiểm', citizenId: '035085000108', phone: '0912000108', email: 'kiemtra@tamduong.example.vn', units: ['district'], rights: ['AUDIT', 'CERT_REPORT'], role: 'kiểm tra viên huyện' },
];

async function insertUnits(m: EntityManager, at: Date): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const paths = new Map<string, string>();
  for (const u of UNITS) {
    const parentId = u.parent ? ids.get(u.parent)! : null;
    const rows: Array<{ id: string }> = await m.query(
      `insert into units (code, name, level, parent_id, path, created_at) values ($1, $2, $3, $4, '', $5) returning id`,
      [u.code, u.name, u.level, parentId, at],
    );
    const path = `${u.parent ? paths.get(u.parent)! : '/'}${rows[0].id}/`;
    await m.query('update units set path = $2 where id = $1', [rows[0].id, path]);
    ids.set(u.key, rows[0].id);
    paths.set(u.key, path);
  }
  return ids;
}

/** Returns false when the database already has units (nothing is changed then). */
export async function seedDemoData(db: DataSource, at: Date): Promise<boolean> {
  const hash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (m) => {
    await m.query('lock table units in exclusive mode');
    const existing: Array<{ n: number }> = await m.query('select count(*)::int as n from units');
    if (existing[0].n > 0) return false;
    const units = await insertUnits(m, at);
    for (const o of DEMO_OFFICERS) {
      const rows: Array<{ id: string }> = await m.query(
        `insert into officers (username, full_name, citizen_id, phone, email, job_title, status, password_hash, password_changed_at, created_at)
         values ($1, $2, $3, $4, $5, $6, 'active', $7, $8, $8) returning id`,
        [o.username, o.fullName, o.citizenId, o.phone, o.email, o.jobTitle ?? null, hash, at],
      );
      for (const u of o.units) await m.query('insert into officer_units (officer_id, unit_id, assigned_at) values ($1, $2, $3)', [rows[0].id, units.get(u), at]);
      for (const r of o.rights) await m.query('insert into officer_rights (officer_id, right_code, granted_at) values ($1, $2, $3)', [rows[0].id, r, at]);
    }
    const c = DEMO_CITIZEN;
    await m.query(
      `insert into citizen_accounts (kind, username, id_number, full_name, full_name_search, birth_date, phone, email, assurance_level, verified_by, password_hash, password_changed_at, created_at)
       values ('citizen', $1, $1, $2, $3, $4, $5, $6, 'IAL2', 'mobile', $7, $8, $8)`,
      [c.idNumber, c.fullName, foldForSearch(c.fullName), c.birthDate, c.phone, c.email, await hashPassword(c.password), at],
    );
    for (const p of DEMO_INSURED) {
      await m.query('insert into social_insurance_people (social_insurance_number, id_number, full_name, birth_date, phone) values ($1, $2, $3, $4, $5)', [
        p.socialInsuranceNumber,
        p.idNumber,
        p.fullName,
        p.birthDate,
        p.phone,
      ]);
    }
    return true;
  });
}
