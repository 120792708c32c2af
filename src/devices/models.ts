/**
 * Htek phone models we provision. The device code is the 4 digits of the model-wide file
 * `cfg<code>.xml` (never served: see the provisioning routes); the line count is the number of
 * SIP accounts the phone takes. Device codes and line counts come from Wazo's Htek plugin
 * (wazo-provd-plugins, plugins/wazo_htek); models without a published code have none here.
 */
export interface PhoneModel {
  name: string;
  deviceCode: string | undefined;
  lineCount: number;
  /** `p-code`: `<P35 para="...">` elements; `named`: `<Account1_SipUserId>` elements. */
  dialect: 'p-code' | 'named';
}

const modelList: PhoneModel[] = [
  { name: 'UC902', deviceCode: '0017', lineCount: 4, dialect: 'p-code' },
  { name: 'UC903', deviceCode: '0016', lineCount: 6, dialect: 'p-code' },
  { name: 'UC912', deviceCode: '0019', lineCount: 4, dialect: 'p-code' },
  { name: 'UC912G', deviceCode: '0019', lineCount: 4, dialect: 'p-code' },
  { name: 'UC912E', deviceCode: '0019', lineCount: 4, dialect: 'p-code' },
  { name: 'UC923', deviceCode: '0013', lineCount: 8, dialect: 'p-code' },
  { name: 'UC924', deviceCode: '0012', lineCount: 12, dialect: 'p-code' },
  { name: 'UC924E', deviceCode: '0112', lineCount: 12, dialect: 'p-code' },
  { name: 'UC926', deviceCode: '0010', lineCount: 16, dialect: 'p-code' },
  { name: 'UC926E', deviceCode: '0110', lineCount: 16, dialect: 'p-code' },
  // NOTE: line counts of the U models are assumed equal to their base models; unverified.
  { name: 'UC924U', deviceCode: undefined, lineCount: 12, dialect: 'named' },
  { name: 'UC926U', deviceCode: undefined, lineCount: 16, dialect: 'named' },
  { name: 'UC802', deviceCode: '0007', lineCount: 2, dialect: 'p-code' },
  { name: 'UC803', deviceCode: '0006', lineCount: 2, dialect: 'p-code' },
  { name: 'UC804', deviceCode: '0005', lineCount: 4, dialect: 'p-code' },
  { name: 'UC806', deviceCode: '0004', lineCount: 6, dialect: 'p-code' },
  { name: 'UC840', deviceCode: '0003', lineCount: 4, dialect: 'p-code' },
  { name: 'UC842', deviceCode: '0001', lineCount: 4, dialect: 'p-code' },
  { name: 'UC860', deviceCode: '0002', lineCount: 6, dialect: 'p-code' },
  { name: 'UC862', deviceCode: '0000', lineCount: 6, dialect: 'p-code' },
];

export const phoneModels: ReadonlyMap<string, PhoneModel> = new Map(modelList.map((model) => [model.name, model]));

export const modelNames = modelList.map((model) => model.name);

/** Looks a model up by name in any letter case (`uc926` finds UC926). */
export function findModel(name: string): PhoneModel | undefined {
  return phoneModels.get(name.trim().toUpperCase());
}
