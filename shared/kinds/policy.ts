// The workspace's privacy settings, one record per workspace (POLICY_ID): the consent
// purposes it asks people for, with the wording of each version and what each allows; the
// lawful bases it uses besides consent; how long records are kept after last contact and
// how often consents are renewed. A record kind, so it syncs, is checked by the sync server,
// keeps its history and is encrypted like any record; only team leads may write it.
import { z } from 'zod';
import { describeKind } from './describe';
import { collection, isoDate, recordId, requiredText, text } from './field-types';

/** What a person's data may be used for; each consent purpose and lawful basis allows some of these. */
export const DATA_USES = ['contact', 'share', 'evaluate', 'photos'] as const;
export type DataUse = (typeof DATA_USES)[number];

/** The one privacy settings record of every workspace (the same id on every device, so two leads' first saves are one record). */
export const POLICY_ID = '5e771465-0000-4000-8000-000000000001';

const uses = z.array(z.enum(DATA_USES, `must be one of ${DATA_USES.join(', ')}`)).max(DATA_USES.length);

export const WordingVersion = z.strictObject({
  label: requiredText(40),
  wording: text(5_000),
  /** The day this wording was first shown; the latest one on or before today is the current one. */
  from: isoDate,
});
export type WordingVersion = z.infer<typeof WordingVersion>;

export const Purpose = z.strictObject({
  id: recordId,
  name: requiredText(200),
  uses,
  versions: z.array(WordingVersion).min(1, 'must have at least one wording').max(50, 'must have at most 50 wordings'),
});
export type Purpose = z.infer<typeof Purpose>;

export const LawfulBasis = z.strictObject({
  id: recordId,
  name: requiredText(200),
  uses,
});
export type LawfulBasis = z.infer<typeof LawfulBasis>;

const months = z.number().int('must be a whole number of months').min(1, 'must be at least 1 month').max(240, 'must be at most 240 months');

export const PolicyFields = z.strictObject({
  purposes: collection(Purpose),
  lawfulBases: collection(LawfulBasis),
  /** Months a person's record is kept after their last contact before it is listed for review. */
  retentionMonths: months,
  /** Months after which a consent must be given again; past it, it no longer counts. */
  renewalMonths: months,
});
export type PolicyData = z.infer<typeof PolicyFields>;

const FIRST_WORDING = '2024-01-01';

/** What a workspace uses until a lead saves its own settings (the same ids everywhere, so consents recorded meanwhile keep their purpose). */
export const DEFAULT_POLICY: PolicyData = {
  purposes: [
    {
      id: '5e771465-0000-4000-8000-000000000101',
      name: 'Contact about local events and activities',
      uses: ['contact'],
      versions: [
        {
          label: 'v1',
          from: FIRST_WORDING,
          wording: 'We will contact you by phone, email or post about local events and activities. You can ask us to stop at any time.',
        },
      ],
    },
    {
      id: '5e771465-0000-4000-8000-000000000102',
      name: 'Share details with partner organisations',
      uses: ['share'],
      versions: [
        {
          label: 'v1',
          from: FIRST_WORDING,
          wording: 'We will share your name, phone number and email with partner organisations that run activities you are interested in.',
        },
      ],
    },
    {
      id: '5e771465-0000-4000-8000-000000000103',
      name: 'Include in evaluation of our work',
      uses: ['evaluate'],
      versions: [
        {
          label: 'v1',
          from: FIRST_WORDING,
          wording: 'We will count your attendance, without your name, in reports on our work to funders and partners.',
        },
      ],
    },
    {
      id: '5e771465-0000-4000-8000-000000000104',
      name: 'Photos at community sessions',
      uses: ['photos'],
      versions: [{ label: 'v1', from: FIRST_WORDING, wording: 'We may take and keep photos of you at community sessions.' }],
    },
  ],
  lawfulBases: [
    { id: '5e771465-0000-4000-8000-000000000201', name: 'Legitimate interests', uses: ['contact'] },
    { id: '5e771465-0000-4000-8000-000000000202', name: 'Public task', uses: ['contact', 'evaluate'] },
  ],
  retentionMonths: 24,
  renewalMonths: 24,
};

export const POLICY = describeKind({
  fields: PolicyFields,
  required: [],
  defaults: DEFAULT_POLICY,
  storage: { purposes: 'collection', lawfulBases: 'collection', retentionMonths: 'value', renewalMonths: 'value' },
  freeText: [],
  references: () => [],
  title: () => 'Privacy settings',
  date: null,
  category: 'retentionMonths',
  filters: {},
  labels: {
    one: 'set of privacy settings',
    many: 'privacy settings',
    fields: { purposes: 'Consent purposes', lawfulBases: 'Lawful bases besides consent', retentionMonths: 'Keep records after last contact (months)', renewalMonths: 'Renew consent every (months)' },
  },
  writers: 'leads',
});
