export * from './organisation.ts';
export * from './catalogue.ts';
export * from './access.ts';
export * from './ledger.ts';
export * from './requests.ts';
export * from './devices.ts';
export * from './homecare.ts';
export * from './chat.ts';
