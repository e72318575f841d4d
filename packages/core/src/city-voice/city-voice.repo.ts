import type { CityMessageTemplate, CityRejectionReason, ReportStatus } from '@pave/shared';
import type { Db } from '../db/pool';

interface ReasonRow {
  code: string;
  label_fr: string;
  label_en: string;
  position: number;
  is_active: boolean;
}

const toReason = (r: ReasonRow): CityRejectionReason => ({
  code: r.code,
  label: { fr: r.label_fr, en: r.label_en },
  position: r.position,
  isActive: r.is_active,
});

/** Rejection reasons in display order; inactive ones too unless `activeOnly`. */
export async function findRejectionReasons(db: Db, activeOnly: boolean): Promise<CityRejectionReason[]> {
  const { rows } = await db.query<ReasonRow>(
    `SELECT code, label_fr, label_en, position, is_active FROM rejection_reasons
      WHERE is_active OR NOT $1 ORDER BY position, code`,
    [activeOnly],
  );
  return rows.map(toReason);
}

/** One reason by code (active or not), or null. */
export async function findRejectionReason(db: Db, code: string): Promise<CityRejectionReason | null> {
  const { rows } = await db.query<ReasonRow>(
    'SELECT code, label_fr, label_en, position, is_active FROM rejection_reasons WHERE code = $1',
    [code],
  );
  return rows[0] ? toReason(rows[0]) : null;
}

/** Creates or replaces a reason; returns it. */
export async function upsertRejectionReason(db: Db, reason: CityRejectionReason): Promise<CityRejectionReason> {
  const { rows } = await db.query<ReasonRow>(
    `INSERT INTO rejection_reasons (code, label_fr, label_en, position, is_active) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (code) DO UPDATE SET label_fr = $2, label_en = $3, position = $4, is_active = $5, updated_at = now()
     RETURNING code, label_fr, label_en, position, is_active`,
    [reason.code, reason.label.fr, reason.label.en, reason.position, reason.isActive],
  );
  return toReason(rows[0]!);
}

interface TemplateRow {
  code: string;
  statuses: ReportStatus[];
  text_fr: string;
  text_en: string;
  position: number;
  is_active: boolean;
}

const toTemplate = (r: TemplateRow): CityMessageTemplate => ({
  code: r.code,
  statuses: r.statuses,
  text: { fr: r.text_fr, en: r.text_en },
  position: r.position,
  isActive: r.is_active,
});

/** Public message templates in display order; inactive ones too unless `activeOnly`. */
export async function findMessageTemplates(db: Db, activeOnly: boolean): Promise<CityMessageTemplate[]> {
  const { rows } = await db.query<TemplateRow>(
    `SELECT code, statuses, text_fr, text_en, position, is_active FROM message_templates
      WHERE is_active OR NOT $1 ORDER BY position, code`,
    [activeOnly],
  );
  return rows.map(toTemplate);
}

export async function findMessageTemplate(db: Db, code: string): Promise<CityMessageTemplate | null> {
  const { rows } = await db.query<TemplateRow>(
    'SELECT code, statuses, text_fr, text_en, position, is_active FROM message_templates WHERE code = $1',
    [code],
  );
  return rows[0] ? toTemplate(rows[0]) : null;
}

/** Creates or replaces a template; returns it. */
export async function upsertMessageTemplate(db: Db, template: CityMessageTemplate): Promise<CityMessageTemplate> {
  const { rows } = await db.query<TemplateRow>(
    `INSERT INTO message_templates (code, statuses, text_fr, text_en, position, is_active)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (code) DO UPDATE SET statuses = $2, text_fr = $3, text_en = $4, position = $5, is_active = $6,
                                      updated_at = now()
     RETURNING code, statuses, text_fr, text_en, position, is_active`,
    [template.code, template.statuses, template.text.fr, template.text.en, template.position, template.isActive],
  );
  return toTemplate(rows[0]!);
}
