import { Type, type Static } from 'typebox';
import { LabelSchema } from './i18n';
import { ReportStatusSchema } from './reports';

/** A code admins choose for a reason or a template: lower case, digits and dashes. */
const VoiceCodeSchema = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,39}$', maxLength: 40 });

/** Why a report was rejected, in the words the public reads (report page, mail). */
export const RejectionReasonSchema = Type.Object({
  code: Type.String(),
  label: LabelSchema,
  position: Type.Integer(),
  isActive: Type.Boolean(),
});
export type CityRejectionReason = Static<typeof RejectionReasonSchema>;
export const RejectionReasonsSchema = Type.Object({ reasons: Type.Array(RejectionReasonSchema) });
export type RejectionReasons = Static<typeof RejectionReasonsSchema>;

export const RejectionReasonBodySchema = Type.Object({
  labelFr: Type.String({ minLength: 1, maxLength: 200 }),
  labelEn: Type.String({ minLength: 1, maxLength: 200 }),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  isActive: Type.Optional(Type.Boolean()),
});
export type RejectionReasonBody = Static<typeof RejectionReasonBodySchema>;

/** A ready-made public message offered to staff for some statuses (still editable before sending). */
export const MessageTemplateSchema = Type.Object({
  code: Type.String(),
  statuses: Type.Array(ReportStatusSchema),
  text: LabelSchema,
  position: Type.Integer(),
  isActive: Type.Boolean(),
});
export type CityMessageTemplate = Static<typeof MessageTemplateSchema>;
export const MessageTemplatesSchema = Type.Object({ templates: Type.Array(MessageTemplateSchema) });
export type MessageTemplates = Static<typeof MessageTemplatesSchema>;

export const MessageTemplateBodySchema = Type.Object({
  statuses: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 9, uniqueItems: true }),
  textFr: Type.String({ minLength: 1, maxLength: 2000 }),
  textEn: Type.String({ minLength: 1, maxLength: 2000 }),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  isActive: Type.Optional(Type.Boolean()),
});
export type MessageTemplateBody = Static<typeof MessageTemplateBodySchema>;

export const VoiceCodeParamsSchema = Type.Object({ code: VoiceCodeSchema });

/** What staff pick from when they change a status: active reasons and templates, in order. */
export const CityVoiceSchema = Type.Object({
  reasons: Type.Array(RejectionReasonSchema),
  templates: Type.Array(MessageTemplateSchema),
});
export type CityVoice = Static<typeof CityVoiceSchema>;
