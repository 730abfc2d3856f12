import { EntitySchema } from 'typeorm';

export type UnitLevel = 'province' | 'district' | 'commune' | 'office';

/** An administrative unit; `path` lists the ids from the root ('/a/b/c/') so a subtree is one LIKE. */
export interface Unit {
  id: string;
  code: string;
  name: string;
  level: UnitLevel;
  parentId: string | null;
  path: string;
  createdAt: Date;
}

export const UnitEntity = new EntitySchema<Unit>({
  name: 'Unit',
  tableName: 'units',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    code: { type: 'text', unique: true },
    name: { type: 'text' },
    level: { type: 'text' },
    parentId: { type: 'uuid', name: 'parent_id', nullable: true },
    path: { type: 'text' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
  },
});
