/**
 * Demo master data (anagrafiche) for Scorta: two Italian healthcare organisations, their location trees,
 * procurement sections, item categories, suppliers, an item catalogue, users and consumption profiles.
 *
 * Pure data: no database code, no side effects. Everything here is FICTIONAL: supplier names, VAT numbers,
 * GTINs (GS1 Italy-style `080…` prefixes, valid mod-10 check digits), people and patients (pseudonymous codes only).
 * Prices are indicative euro per `unit` (not per pack), in the spirit of Italian public tender prices.
 */

// ---------------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------------

export type DemoSectionCode = 'FARMACIA' | 'MAGAZZINO' | 'DIAGNOSTICA' | 'ECONOMATO';
export type DemoCategoryCode = 'FARM' | 'DM' | 'DIAG' | 'ECON' | 'MEDIC' | 'DPI' | 'GAS' | 'NUTR';
export type DemoSupplierCode = 'MEDISAN' | 'FARMAVEN' | 'LABDIAG' | 'OSSIGAS' | 'CARTAPIU' | 'PROTEGGI' | 'NUTRIMED' | 'IMPLANTA';
export type DemoSupplyMode = 'stock' | 'pass_through';
export type DemoOrganisationKind = 'hospital_trust' | 'local_health_unit';
export type DemoLocationKind = 'warehouse' | 'pharmacy' | 'ward' | 'ward_store' | 'cabinet' | 'home';
export type DemoRole = 'admin' | 'warehouse' | 'pharmacist' | 'ward_nurse' | 'home_care';
export type DemoWardCode = 'CARD' | 'CHIR' | 'PS' | 'TI' | 'MED';
export type DemoPatientCode = 'P-001' | 'P-002' | 'P-003' | 'P-004' | 'P-005';

export interface DemoSection {
  code: DemoSectionCode;
  name: string;
  nameEn: string;
  /** Location code (in the hospital trust) that fulfils requests for this section. */
  fulfilledFrom: 'MAG' | 'FARM';
}

export interface DemoCategory {
  code: DemoCategoryCode;
  name: string;
  nameEn: string;
  section: DemoSectionCode;
}

export interface DemoSupplier {
  code: DemoSupplierCode;
  name: string;
  /** Partita IVA: 11 digits, fictional (formally valid check digit). */
  vatNumber: string;
  leadTimeDays: number;
}

export interface DemoItem {
  code: string;
  name: string;
  nameEn: string;
  /** What staff actually type, Italian and English: colloquial names, abbreviations, colours, sizes. */
  synonyms: string[];
  category: DemoCategoryCode;
  /** Italian short unit the stock is counted in: pz, fl, fiala, cf, sacca, paio, l, ml, UI. */
  unit: string;
  /** Units per purchase pack. */
  packSize: number;
  /** GTIN-14 with a valid GS1 mod-10 check digit, or null when the item has none. */
  gtin: string | null;
  supplyMode: DemoSupplyMode;
  /** Euro per unit, decimal string with 4 places. */
  referencePrice: string;
  supplier: DemoSupplierCode;
  /** Typical units per week for a busy ward; 0 for pass-through items. */
  weeklyDemandHint: number;
  unitWeightGrams: number | null;
}

export interface DemoLocation {
  code: string;
  name: string;
  nameEn?: string;
  kind: DemoLocationKind;
  /** Parent location code; parents are always listed before their children. */
  parent?: string;
  aliases?: string[];
  /** Only for kind `home`: pseudonymous patient code, never a name. */
  patientCode?: string;
}

export interface DemoOrganisation {
  code: string;
  name: string;
  kind: DemoOrganisationKind;
  locations: DemoLocation[];
}

export interface DemoUser {
  username: string;
  displayName: string;
  locale: 'it' | 'en';
  organisation: string;
  role: DemoRole;
  location?: string;
}

export interface DemoWardProfileLine {
  itemCode: string;
  weeklyUnits: number;
}

export interface DemoHomeProfileLine {
  itemCode: string;
  dailyUnits: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Procurement sections and categories
// ---------------------------------------------------------------------------------------------------------------

export const demoSections: readonly DemoSection[] = [
  { code: 'FARMACIA', name: 'Farmacia', nameEn: 'Pharmacy', fulfilledFrom: 'FARM' },
  { code: 'MAGAZZINO', name: 'Magazzino dispositivi medici', nameEn: 'Medical devices store', fulfilledFrom: 'MAG' },
  { code: 'DIAGNOSTICA', name: 'Diagnostica', nameEn: 'Diagnostics', fulfilledFrom: 'MAG' },
  { code: 'ECONOMATO', name: 'Economato', nameEn: 'General supplies', fulfilledFrom: 'MAG' },
];

export const demoCategories: readonly DemoCategory[] = [
  { code: 'FARM', name: 'Farmaci', nameEn: 'Drugs', section: 'FARMACIA' },
  { code: 'DM', name: 'Dispositivi medici', nameEn: 'Medical devices', section: 'MAGAZZINO' },
  { code: 'DIAG', name: 'Diagnostici', nameEn: 'Diagnostics', section: 'DIAGNOSTICA' },
  { code: 'ECON', name: 'Beni economali', nameEn: 'General goods', section: 'ECONOMATO' },
  { code: 'MEDIC', name: 'Medicazioni', nameEn: 'Dressings', section: 'MAGAZZINO' },
  { code: 'DPI', name: 'Dispositivi di protezione individuale', nameEn: 'Personal protective equipment', section: 'ECONOMATO' },
  { code: 'GAS', name: 'Gas medicali', nameEn: 'Medical gases', section: 'FARMACIA' },
  { code: 'NUTR', name: 'Nutrizione clinica', nameEn: 'Clinical nutrition', section: 'FARMACIA' },
];

// ---------------------------------------------------------------------------------------------------------------
// Suppliers (fictional)
// ---------------------------------------------------------------------------------------------------------------

export const demoSuppliers: readonly DemoSupplier[] = [
  { code: 'MEDISAN', name: 'Medisan Forniture S.p.A.', vatNumber: '04127310284', leadTimeDays: 5 },
  { code: 'FARMAVEN', name: 'Farmaveneta Distribuzione S.r.l.', vatNumber: '03982140281', leadTimeDays: 2 },
  { code: 'LABDIAG', name: 'Labdiagnostica Italia S.r.l.', vatNumber: '08763050153', leadTimeDays: 7 },
  { code: 'OSSIGAS', name: 'Ossigas Medicale S.p.A.', vatNumber: '02519470260', leadTimeDays: 3 },
  { code: 'CARTAPIU', name: 'Cartapiù Servizi Ospedalieri S.r.l.', vatNumber: '01336580236', leadTimeDays: 10 },
  { code: 'PROTEGGI', name: 'Protezione Sanitaria Adriatica S.r.l.', vatNumber: '07204190420', leadTimeDays: 6 },
  { code: 'NUTRIMED', name: 'Nutrimed Clinica S.p.A.', vatNumber: '05648720372', leadTimeDays: 8 },
  { code: 'IMPLANTA', name: 'Implanta Medical Italia S.r.l.', vatNumber: '09471300583', leadTimeDays: 15 },
];

// ---------------------------------------------------------------------------------------------------------------
// Items (anagrafica articoli)
// ---------------------------------------------------------------------------------------------------------------

export const demoItems: readonly DemoItem[] = [
  // --- DPI: protective equipment -------------------------------------------------------------------------------
  { code: 'DPI-GUA-NS', name: 'Guanti da esame in nitrile non sterili senza polvere, taglia S', nameEn: 'Nitrile examination gloves, non-sterile, powder-free, size S',
    synonyms: ['guanti S', 'guanti small', 'guanti nitrile S', 'guanti piccoli', 'guanti monouso S', 'nitrile gloves S', 'small gloves', 'exam gloves small'],
    category: 'DPI', unit: 'pz', packSize: 100, gtin: '08067890000109', supplyMode: 'stock', referencePrice: '0.0380', supplier: 'PROTEGGI', weeklyDemandHint: 500, unitWeightGrams: 3.5 },
  { code: 'DPI-GUA-NM', name: 'Guanti da esame in nitrile non sterili senza polvere, taglia M', nameEn: 'Nitrile examination gloves, non-sterile, powder-free, size M',
    synonyms: ['guanti M', 'guanti medium', 'guanti nitrile M', 'guanti medi', 'guanti monouso M', 'nitrile gloves M', 'medium gloves', 'exam gloves medium'],
    category: 'DPI', unit: 'pz', packSize: 100, gtin: '08067890000208', supplyMode: 'stock', referencePrice: '0.0380', supplier: 'PROTEGGI', weeklyDemandHint: 1500, unitWeightGrams: 4 },
  { code: 'DPI-GUA-NL', name: 'Guanti da esame in nitrile non sterili senza polvere, taglia L', nameEn: 'Nitrile examination gloves, non-sterile, powder-free, size L',
    synonyms: ['guanti L', 'guanti large', 'guanti nitrile L', 'guanti grandi', 'guanti monouso L', 'nitrile gloves L', 'large gloves', 'exam gloves large'],
    category: 'DPI', unit: 'pz', packSize: 100, gtin: '08067890000307', supplyMode: 'stock', referencePrice: '0.0390', supplier: 'PROTEGGI', weeklyDemandHint: 700, unitWeightGrams: 4.5 },
  { code: 'DPI-MAS-CHI', name: 'Mascherina chirurgica tipo IIR a 3 strati con elastici', nameEn: 'Surgical face mask type IIR, 3-ply, ear loops',
    synonyms: ['mascherina', 'mascherine', 'mascherina chirurgica', 'chirurgica IIR', 'surgical mask', 'face mask', 'mask'],
    category: 'DPI', unit: 'pz', packSize: 50, gtin: '08067890000406', supplyMode: 'stock', referencePrice: '0.0450', supplier: 'PROTEGGI', weeklyDemandHint: 800, unitWeightGrams: 3 },
  { code: 'DPI-MAS-FFP2', name: 'Facciale filtrante FFP2 senza valvola', nameEn: 'FFP2 filtering facepiece respirator, without valve',
    synonyms: ['FFP2', 'mascherina FFP2', 'ffp2 senza valvola', 'respiratore', 'facciale filtrante', 'FFP2 mask', 'N95', 'respirator'],
    category: 'DPI', unit: 'pz', packSize: 20, gtin: '08067890000505', supplyMode: 'stock', referencePrice: '0.2200', supplier: 'PROTEGGI', weeklyDemandHint: 200, unitWeightGrams: 6 },
  { code: 'DPI-CAM-TNT', name: 'Camice monouso in TNT idrorepellente con polsini, taglia unica', nameEn: 'Disposable fluid-resistant nonwoven gown with cuffs, one size',
    synonyms: ['camice', 'camici monouso', 'camice TNT', 'camice isolamento', 'camice idrorepellente', 'gown', 'isolation gown', 'disposable gown'],
    category: 'DPI', unit: 'pz', packSize: 10, gtin: '08067890000604', supplyMode: 'stock', referencePrice: '0.8500', supplier: 'PROTEGGI', weeklyDemandHint: 120, unitWeightGrams: 55 },

  // --- DM: medical devices -------------------------------------------------------------------------------------
  { code: 'DM-GUA-ST70', name: 'Guanti chirurgici sterili in lattice senza polvere, misura 7', nameEn: 'Sterile latex surgical gloves, powder-free, size 7',
    synonyms: ['guanti sterili 7', 'guanti chirurgici 7', 'sterili 7', 'guanti 7', 'sterile gloves 7', 'surgical gloves size 7'],
    category: 'DM', unit: 'paio', packSize: 50, gtin: '08012345000104', supplyMode: 'stock', referencePrice: '0.3900', supplier: 'MEDISAN', weeklyDemandHint: 120, unitWeightGrams: 22 },
  { code: 'DM-GUA-ST75', name: 'Guanti chirurgici sterili in lattice senza polvere, misura 7,5', nameEn: 'Sterile latex surgical gloves, powder-free, size 7.5',
    synonyms: ['guanti sterili 7,5', 'guanti sterili 7.5', 'guanti chirurgici 7 e mezzo', 'sterili 7,5', 'sterile gloves 7.5', 'surgical gloves size 7.5'],
    category: 'DM', unit: 'paio', packSize: 50, gtin: '08012345000203', supplyMode: 'stock', referencePrice: '0.3900', supplier: 'MEDISAN', weeklyDemandHint: 120, unitWeightGrams: 23 },
  { code: 'DM-SIR-2.5', name: 'Siringa monouso 2,5 ml luer lock', nameEn: 'Disposable syringe 2.5 ml luer lock',
    synonyms: ['siringa 2,5', 'siringa 2.5', 'siringhe da 2,5 ml', 'siringa piccola', 'syringe 2.5ml', '2.5 ml syringe', '3 ml syringe'],
    category: 'DM', unit: 'pz', packSize: 100, gtin: '08012345000302', supplyMode: 'stock', referencePrice: '0.0480', supplier: 'MEDISAN', weeklyDemandHint: 300, unitWeightGrams: 3 },
  { code: 'DM-SIR-005', name: 'Siringa monouso 5 ml luer lock', nameEn: 'Disposable syringe 5 ml luer lock',
    synonyms: ['siringa 5', 'siringhe da 5 ml', 'siringa 5 ml', 'siringa da 5', 'syringe 5ml', '5 ml syringe', '5cc syringe'],
    category: 'DM', unit: 'pz', packSize: 100, gtin: '08012345000401', supplyMode: 'stock', referencePrice: '0.0550', supplier: 'MEDISAN', weeklyDemandHint: 500, unitWeightGrams: 5 },
  { code: 'DM-SIR-010', name: 'Siringa monouso 10 ml luer lock', nameEn: 'Disposable syringe 10 ml luer lock',
    synonyms: ['siringa 10', 'siringhe da 10 ml', 'siringa 10 ml', 'siringa da 10', 'syringe 10ml', '10 ml syringe', '10cc syringe'],
    category: 'DM', unit: 'pz', packSize: 100, gtin: '08012345000500', supplyMode: 'stock', referencePrice: '0.0850', supplier: 'MEDISAN', weeklyDemandHint: 600, unitWeightGrams: 8 },
  { code: 'DM-SIR-020', name: 'Siringa monouso 20 ml luer lock', nameEn: 'Disposable syringe 20 ml luer lock',
    synonyms: ['siringa 20', 'siringhe da 20 ml', 'siringa 20 ml', 'siringa da 20', 'syringe 20ml', '20 ml syringe', '20cc syringe'],
    category: 'DM', unit: 'pz', packSize: 80, gtin: '08012345000609', supplyMode: 'stock', referencePrice: '0.1300', supplier: 'MEDISAN', weeklyDemandHint: 250, unitWeightGrams: 13 },
  { code: 'DM-SIR-INS', name: 'Siringa per insulina 1 ml U-100 con ago 30G x 8 mm', nameEn: 'Insulin syringe 1 ml U-100 with fixed 30G x 8 mm needle',
    synonyms: ['siringa insulina', 'siringhe da insulina', 'siringa da 1 ml', 'siringa 100 UI', 'insulin syringe', '1 ml syringe', 'U-100 syringe'],
    category: 'DM', unit: 'pz', packSize: 100, gtin: '08012345000708', supplyMode: 'stock', referencePrice: '0.0750', supplier: 'MEDISAN', weeklyDemandHint: 150, unitWeightGrams: 2 },
  { code: 'DM-AGO-PEN', name: 'Ago per penna da insulina 32G x 4 mm', nameEn: 'Insulin pen needle 32G x 4 mm',
    synonyms: ['aghi penna', 'aghi per penna insulina', 'aghetti penna', 'ago 4 mm', 'pen needle', 'pen needles 4mm', 'insulin pen needle'],
    category: 'DM', unit: 'pz', packSize: 100, gtin: '08012345000807', supplyMode: 'stock', referencePrice: '0.0900', supplier: 'MEDISAN', weeklyDemandHint: 200, unitWeightGrams: 1 },
  { code: 'DM-AGO-21G', name: 'Ago ipodermico 21G x 40 mm (verde)', nameEn: 'Hypodermic needle 21G x 40 mm (green)',
    synonyms: ['ago 21', 'ago 21G', 'ago verde', 'aghi verdi', 'needle 21G', '21 gauge needle', 'green needle'],
    category: 'DM', unit: 'pz', packSize: 100, gtin: '08012345000906', supplyMode: 'stock', referencePrice: '0.0180', supplier: 'MEDISAN', weeklyDemandHint: 400, unitWeightGrams: 1 },
  { code: 'DM-AGO-23G', name: 'Ago ipodermico 23G x 30 mm (blu)', nameEn: 'Hypodermic needle 23G x 30 mm (blue)',
    synonyms: ['ago 23', 'ago 23G', 'ago blu', 'aghi blu', 'needle 23G', '23 gauge needle', 'blue needle'],
    category: 'DM', unit: 'pz', packSize: 100, gtin: '08012345001002', supplyMode: 'stock', referencePrice: '0.0180', supplier: 'MEDISAN', weeklyDemandHint: 250, unitWeightGrams: 1 },
  { code: 'DM-ACA-18G', name: 'Agocannula periferica di sicurezza 18G (verde) con valvola e alette', nameEn: 'Safety peripheral IV cannula 18G (green), ported and winged',
    synonyms: ['agocannula 18', 'ago cannula 18G', 'cannula verde', 'accesso venoso 18', 'IV cannula 18G', 'cannula 18G', 'PIVC 18G', '18 gauge cannula'],
    category: 'DM', unit: 'pz', packSize: 50, gtin: '08012345001101', supplyMode: 'stock', referencePrice: '0.6200', supplier: 'MEDISAN', weeklyDemandHint: 70, unitWeightGrams: 4 },
  { code: 'DM-ACA-20G', name: 'Agocannula periferica di sicurezza 20G (rosa) con valvola e alette', nameEn: 'Safety peripheral IV cannula 20G (pink), ported and winged',
    synonyms: ['agocannula 20', 'ago cannula 20G', 'cannula rosa', 'accesso venoso 20', 'IV cannula 20G', 'cannula 20G', 'PIVC 20G', '20 gauge cannula'],
    category: 'DM', unit: 'pz', packSize: 50, gtin: '08012345001200', supplyMode: 'stock', referencePrice: '0.6200', supplier: 'MEDISAN', weeklyDemandHint: 150, unitWeightGrams: 4 },
  { code: 'DM-ACA-22G', name: 'Agocannula periferica di sicurezza 22G (azzurra) con valvola e alette', nameEn: 'Safety peripheral IV cannula 22G (blue), ported and winged',
    synonyms: ['agocannula 22', 'ago cannula 22G', 'cannula azzurra', 'cannula blu', 'accesso venoso 22', 'IV cannula 22G', 'cannula 22G', 'PIVC 22G'],
    category: 'DM', unit: 'pz', packSize: 50, gtin: '08012345001309', supplyMode: 'stock', referencePrice: '0.6200', supplier: 'MEDISAN', weeklyDemandHint: 80, unitWeightGrams: 3 },
  { code: 'DM-FOL-CH14', name: 'Catetere vescicale Foley 2 vie in silicone CH14', nameEn: 'Foley urinary catheter, 2-way, silicone, CH14',
    synonyms: ['foley 14', 'catetere vescicale 14', 'catetere 14', 'CV 14', 'catetere foley CH14', 'urinary catheter 14Fr', 'foley 14Fr'],
    category: 'DM', unit: 'pz', packSize: 10, gtin: '08012345001408', supplyMode: 'stock', referencePrice: '2.6000', supplier: 'MEDISAN', weeklyDemandHint: 15, unitWeightGrams: 25 },
  { code: 'DM-FOL-CH16', name: 'Catetere vescicale Foley 2 vie in silicone CH16', nameEn: 'Foley urinary catheter, 2-way, silicone, CH16',
    synonyms: ['foley 16', 'catetere vescicale 16', 'catetere 16', 'CV 16', 'catetere foley CH16', 'urinary catheter 16Fr', 'foley 16Fr'],
    category: 'DM', unit: 'pz', packSize: 10, gtin: '08012345001507', supplyMode: 'stock', referencePrice: '2.6000', supplier: 'MEDISAN', weeklyDemandHint: 20, unitWeightGrams: 27 },
  { code: 'DM-SAC-URI', name: 'Sacca raccolta urine 2000 ml con rubinetto e valvola antireflusso', nameEn: 'Urine drainage bag 2000 ml with drain tap and non-return valve',
    synonyms: ['sacca urine', 'sacche urina', 'sacchetto urine', 'raccoglitore urine', 'urine bag', 'drainage bag', 'catheter bag'],
    category: 'DM', unit: 'pz', packSize: 30, gtin: '08012345001606', supplyMode: 'stock', referencePrice: '0.4200', supplier: 'MEDISAN', weeklyDemandHint: 50, unitWeightGrams: 65 },
  { code: 'DM-CAN-O2', name: 'Cannula nasale per ossigenoterapia adulti con tubo 2,1 m', nameEn: 'Adult nasal oxygen cannula with 2.1 m tubing',
    synonyms: ['occhialini', 'occhialini ossigeno', 'occhialini nasali', 'cannula nasale', 'nasal cannula', 'O2 nasal prongs', 'nasal specs'],
    category: 'DM', unit: 'pz', packSize: 50, gtin: '08012345001705', supplyMode: 'stock', referencePrice: '0.3200', supplier: 'MEDISAN', weeklyDemandHint: 40, unitWeightGrams: 30 },
  { code: 'DM-ELE-ECG', name: 'Elettrodo ECG monouso pregellato in schiuma 50 mm', nameEn: 'Disposable pre-gelled foam ECG electrode 50 mm',
    synonyms: ['elettrodi', 'elettrodi ECG', 'elettrodo', 'placchette ECG', 'ECG electrodes', 'ECG pads', 'electrodes', 'dots'],
    category: 'DM', unit: 'pz', packSize: 50, gtin: '08012345001804', supplyMode: 'stock', referencePrice: '0.0550', supplier: 'MEDISAN', weeklyDemandHint: 600, unitWeightGrams: 2 },
  { code: 'DM-SUT-30', name: 'Sutura in poliglactina 910 intrecciata riassorbibile 3/0, ago 1/2 cerchio 26 mm', nameEn: 'Braided absorbable polyglactin 910 suture 3/0, 26 mm 1/2 circle needle',
    synonyms: ['filo 3/0', 'sutura 3-0', 'filo riassorbibile 3/0', 'punti', 'filo di sutura', 'suture 3-0', 'absorbable suture 3/0'],
    category: 'DM', unit: 'pz', packSize: 36, gtin: '08012345001903', supplyMode: 'stock', referencePrice: '2.8000', supplier: 'MEDISAN', weeklyDemandHint: 50, unitWeightGrams: 5 },
  // pass-through devices: ordered for a named patient/procedure, never held in stock
  { code: 'DM-STE-DES', name: 'Stent coronarico a rilascio di everolimus 3,0 x 18 mm', nameEn: 'Everolimus-eluting coronary stent 3.0 x 18 mm',
    synonyms: ['stent', 'stent medicato', 'stent coronarico', 'DES 3.0x18', 'drug-eluting stent', 'coronary stent'],
    category: 'DM', unit: 'pz', packSize: 1, gtin: '08089012000101', supplyMode: 'pass_through', referencePrice: '380.0000', supplier: 'IMPLANTA', weeklyDemandHint: 0, unitWeightGrams: 60 },
  { code: 'DM-PM-DR', name: 'Pacemaker bicamerale DDDR compatibile RM', nameEn: 'Dual-chamber DDDR pacemaker, MRI-conditional',
    synonyms: ['pacemaker', 'PM bicamerale', 'PM DDD', 'stimolatore cardiaco', 'dual chamber pacemaker', 'PPM'],
    category: 'DM', unit: 'pz', packSize: 1, gtin: '08089012000200', supplyMode: 'pass_through', referencePrice: '1950.0000', supplier: 'IMPLANTA', weeklyDemandHint: 0, unitWeightGrams: 250 },
  { code: 'DM-PRO-ANCA', name: "Stelo femorale non cementato per protesi d'anca, misura su richiesta", nameEn: 'Cementless femoral stem for hip replacement, size on request',
    synonyms: ['protesi anca', "protesi d'anca", 'stelo femorale', 'stelo anca', 'hip prosthesis', 'hip stem', 'THR stem'],
    category: 'DM', unit: 'pz', packSize: 1, gtin: null, supplyMode: 'pass_through', referencePrice: '1450.0000', supplier: 'IMPLANTA', weeklyDemandHint: 0, unitWeightGrams: 600 },
  { code: 'DM-PICC-4F', name: 'Catetere PICC 4 Fr monolume power injectable in poliuretano', nameEn: 'PICC 4 Fr single-lumen power-injectable polyurethane catheter',
    synonyms: ['PICC', 'picc 4F', 'catetere PICC', 'catetere centrale periferico', 'PICC line', 'peripherally inserted central catheter'],
    category: 'DM', unit: 'pz', packSize: 1, gtin: '08089012000309', supplyMode: 'pass_through', referencePrice: '95.0000', supplier: 'IMPLANTA', weeklyDemandHint: 0, unitWeightGrams: 150 },
  { code: 'DM-CAP-7F', name: 'Catetere arterioso polmonare per termodiluizione 7,5 Fr 110 cm', nameEn: 'Thermodilution pulmonary artery catheter 7.5 Fr 110 cm',
    synonyms: ['swan ganz', 'swan-ganz', 'catetere arteria polmonare', 'catetere polmonare', 'PAC', 'pulmonary artery catheter'],
    category: 'DM', unit: 'pz', packSize: 1, gtin: '08089012000408', supplyMode: 'pass_through', referencePrice: '135.0000', supplier: 'IMPLANTA', weeklyDemandHint: 0, unitWeightGrams: 200 },

  // --- MEDIC: dressings ----------------------------------------------------------------------------------------
  { code: 'MEDIC-GAR-10', name: 'Garza in cotone idrofilo sterile 10 x 10 cm 12 strati', nameEn: 'Sterile cotton gauze swab 10 x 10 cm 12-ply',
    synonyms: ['garze', 'garza sterile', 'garze 10x10', 'garzine', 'tamponi di garza', 'gauze', 'gauze swabs', '4x4 gauze'],
    category: 'MEDIC', unit: 'pz', packSize: 100, gtin: '08012345002009', supplyMode: 'stock', referencePrice: '0.0400', supplier: 'MEDISAN', weeklyDemandHint: 900, unitWeightGrams: 2 },
  { code: 'MEDIC-CER-ROT', name: 'Cerotto in rotolo in tessuto non tessuto ipoallergenico 2,5 cm x 9,1 m', nameEn: 'Hypoallergenic nonwoven adhesive tape roll 2.5 cm x 9.1 m',
    synonyms: ['cerotto', 'cerotto rotolo', 'cerotto di carta', 'rotolo cerotto', 'tape', 'adhesive tape', 'medical tape', 'plaster'],
    category: 'MEDIC', unit: 'pz', packSize: 12, gtin: null, supplyMode: 'stock', referencePrice: '0.9500', supplier: 'MEDISAN', weeklyDemandHint: 25, unitWeightGrams: 30 },
  { code: 'MEDIC-TRA-CVP', name: 'Medicazione trasparente in poliuretano per accesso venoso periferico 6 x 7 cm', nameEn: 'Transparent polyurethane IV dressing 6 x 7 cm',
    synonyms: ['trasparente', 'medicazione trasparente', 'pellicola', 'cerotto agocannula', 'fissaggio agocannula', 'IV dressing', 'transparent dressing', 'cannula dressing'],
    category: 'MEDIC', unit: 'pz', packSize: 100, gtin: '08012345002108', supplyMode: 'stock', referencePrice: '0.1800', supplier: 'MEDISAN', weeklyDemandHint: 150, unitWeightGrams: 2 },
  { code: 'MEDIC-ADE-108', name: 'Medicazione adesiva sterile in TNT con tampone assorbente 10 x 8 cm', nameEn: 'Sterile adhesive nonwoven wound dressing with absorbent pad 10 x 8 cm',
    synonyms: ['medicazione', 'cerotto medicato', 'medicazione post-operatoria', 'medicazione ferita', 'wound dressing', 'island dressing', 'post-op dressing'],
    category: 'MEDIC', unit: 'pz', packSize: 50, gtin: '08012345002207', supplyMode: 'stock', referencePrice: '0.1100', supplier: 'MEDISAN', weeklyDemandHint: 200, unitWeightGrams: 3 },

  // --- FARM: drugs, infusions, antiseptics ---------------------------------------------------------------------
  { code: 'FARM-NACL-100', name: 'Sodio cloruro 0,9% soluzione per infusione, sacca 100 ml', nameEn: 'Sodium chloride 0.9% solution for infusion, 100 ml bag',
    synonyms: ['fisiologica 100', 'soluzione fisiologica 100 ml', 'SF 100', 'NaCl 100', 'sacchetta fisiologica', 'normal saline 100 ml', 'NS 100 ml', 'saline 100'],
    category: 'FARM', unit: 'sacca', packSize: 50, gtin: '08023456000105', supplyMode: 'stock', referencePrice: '0.5800', supplier: 'FARMAVEN', weeklyDemandHint: 400, unitWeightGrams: 120 },
  { code: 'FARM-NACL-250', name: 'Sodio cloruro 0,9% soluzione per infusione, sacca 250 ml', nameEn: 'Sodium chloride 0.9% solution for infusion, 250 ml bag',
    synonyms: ['fisiologica 250', 'soluzione fisiologica 250 ml', 'SF 250', 'NaCl 250', 'normal saline 250 ml', 'NS 250 ml', 'saline 250'],
    category: 'FARM', unit: 'sacca', packSize: 30, gtin: '08023456000204', supplyMode: 'stock', referencePrice: '0.6800', supplier: 'FARMAVEN', weeklyDemandHint: 200, unitWeightGrams: 280 },
  { code: 'FARM-NACL-500', name: 'Sodio cloruro 0,9% soluzione per infusione, sacca 500 ml', nameEn: 'Sodium chloride 0.9% solution for infusion, 500 ml bag',
    synonyms: ['fisiologica 500', 'soluzione fisiologica 500 ml', 'SF 500', 'NaCl 500', 'flebo fisiologica', 'normal saline 500 ml', 'NS 500 ml', 'saline 500'],
    category: 'FARM', unit: 'sacca', packSize: 20, gtin: '08023456000303', supplyMode: 'stock', referencePrice: '0.7900', supplier: 'FARMAVEN', weeklyDemandHint: 300, unitWeightGrams: 540 },
  { code: 'FARM-GLU5-500', name: 'Glucosio 5% soluzione per infusione, sacca 500 ml', nameEn: 'Glucose 5% solution for infusion, 500 ml bag',
    synonyms: ['glucosata 5%', 'glucosio 5', 'SG 5%', 'glucosata 500', 'dextrose 5%', 'D5W', 'glucose 5% 500 ml'],
    category: 'FARM', unit: 'sacca', packSize: 20, gtin: '08023456000402', supplyMode: 'stock', referencePrice: '0.8800', supplier: 'FARMAVEN', weeklyDemandHint: 80, unitWeightGrams: 540 },
  { code: 'FARM-RL-500', name: 'Ringer lattato soluzione per infusione, sacca 500 ml', nameEn: "Ringer's lactate solution for infusion, 500 ml bag",
    synonyms: ['ringer', 'ringer lattato', 'RL', 'ringer 500', 'lactated ringer', 'Hartmann solution', 'LR 500'],
    category: 'FARM', unit: 'sacca', packSize: 20, gtin: '08023456000501', supplyMode: 'stock', referencePrice: '0.9500', supplier: 'FARMAVEN', weeklyDemandHint: 120, unitWeightGrams: 540 },
  { code: 'FARM-PCM-1G', name: 'Paracetamolo 1 g/100 ml soluzione per infusione', nameEn: 'Paracetamol 1 g/100 ml solution for infusion',
    synonyms: ['paracetamolo ev', 'paracetamolo 1 g', 'paracetamolo flebo', 'PCM', 'paracetamol IV', 'acetaminophen IV', 'paracetamol 1g'],
    category: 'FARM', unit: 'fl', packSize: 10, gtin: '08023456000600', supplyMode: 'stock', referencePrice: '0.9800', supplier: 'FARMAVEN', weeklyDemandHint: 250, unitWeightGrams: 125 },
  { code: 'FARM-KET-30', name: 'Ketorolac trometamina 30 mg/ml soluzione iniettabile, fiala 1 ml', nameEn: 'Ketorolac trometamol 30 mg/ml solution for injection, 1 ml ampoule',
    synonyms: ['ketorolac', 'ketorolac fiala', 'ketorolac 30', 'ketorolac 30 mg', 'antidolorifico fiala', 'ketorolac injection', 'NSAID injection'],
    category: 'FARM', unit: 'fiala', packSize: 10, gtin: '08023456000709', supplyMode: 'stock', referencePrice: '0.3000', supplier: 'FARMAVEN', weeklyDemandHint: 150, unitWeightGrams: 5 },
  { code: 'FARM-MOR-10', name: 'Morfina cloridrato 10 mg/ml soluzione iniettabile, fiala 1 ml', nameEn: 'Morphine hydrochloride 10 mg/ml solution for injection, 1 ml ampoule',
    synonyms: ['morfina', 'morfina 10', 'morfina fiala', 'morfina 10 mg', 'morphine', 'morphine 10mg', 'morphine ampoule'],
    category: 'FARM', unit: 'fiala', packSize: 5, gtin: '08023456000808', supplyMode: 'stock', referencePrice: '0.6500', supplier: 'FARMAVEN', weeklyDemandHint: 30, unitWeightGrams: 5 },
  { code: 'FARM-EPA-5000', name: 'Eparina sodica 5.000 UI/ml soluzione iniettabile, fiala 1 ml', nameEn: 'Heparin sodium 5,000 IU/ml solution for injection, 1 ml ampoule',
    synonyms: ['eparina', 'eparina 5000', 'eparina sodica', 'ENF', 'eparina non frazionata', 'heparin', 'heparin 5000', 'UFH'],
    category: 'FARM', unit: 'fiala', packSize: 10, gtin: '08023456000907', supplyMode: 'stock', referencePrice: '0.5200', supplier: 'FARMAVEN', weeklyDemandHint: 80, unitWeightGrams: 5 },
  { code: 'FARM-ENOX-4000', name: 'Enoxaparina sodica 4.000 UI (40 mg)/0,4 ml soluzione iniettabile, siringa preriempita', nameEn: 'Enoxaparin sodium 4,000 IU (40 mg)/0.4 ml solution for injection, pre-filled syringe',
    synonyms: ['enoxaparina', 'enoxaparina 4000', 'eparina basso peso', 'EBPM', 'punture eparina', 'enoxaparin 40', 'enoxaparin 40 mg', 'LMWH'],
    category: 'FARM', unit: 'pz', packSize: 10, gtin: '08023456001003', supplyMode: 'stock', referencePrice: '1.8500', supplier: 'FARMAVEN', weeklyDemandHint: 120, unitWeightGrams: 8 },
  { code: 'FARM-AMC-2G', name: 'Amoxicillina/acido clavulanico 2 g/200 mg polvere per soluzione per infusione', nameEn: 'Amoxicillin/clavulanic acid 2 g/200 mg powder for solution for infusion',
    synonyms: ['amoxicillina clavulanico', 'amoxi clav', 'amoxiclav ev', 'amox/clav 2 g', 'antibiotico ev', 'co-amoxiclav IV', 'amoxicillin clavulanate IV'],
    category: 'FARM', unit: 'fl', packSize: 10, gtin: '08023456001102', supplyMode: 'stock', referencePrice: '2.9000', supplier: 'FARMAVEN', weeklyDemandHint: 50, unitWeightGrams: 25 },
  { code: 'FARM-CTX-1G', name: 'Ceftriaxone 1 g polvere e solvente per soluzione iniettabile per uso endovenoso', nameEn: 'Ceftriaxone 1 g powder and solvent for solution for injection, IV use',
    synonyms: ['ceftriaxone', 'ceftriaxone 1 g', 'ceftriaxone ev', 'cefalosporina', 'ceftriaxone 1g', 'ceftriaxone IV'],
    category: 'FARM', unit: 'fl', packSize: 1, gtin: '08023456001201', supplyMode: 'stock', referencePrice: '1.1500', supplier: 'FARMAVEN', weeklyDemandHint: 50, unitWeightGrams: 20 },
  { code: 'FARM-FUR-20', name: 'Furosemide 20 mg/2 ml soluzione iniettabile, fiala', nameEn: 'Furosemide 20 mg/2 ml solution for injection, ampoule',
    synonyms: ['furosemide', 'furosemide 20', 'furo', 'diuretico fiala', 'furosemide injection', 'frusemide'],
    category: 'FARM', unit: 'fiala', packSize: 5, gtin: '08023456001300', supplyMode: 'stock', referencePrice: '0.2500', supplier: 'FARMAVEN', weeklyDemandHint: 120, unitWeightGrams: 6 },
  { code: 'FARM-PAN-40', name: 'Pantoprazolo 40 mg polvere per soluzione iniettabile', nameEn: 'Pantoprazole 40 mg powder for solution for injection',
    synonyms: ['pantoprazolo', 'pantoprazolo 40', 'pantoprazolo ev', 'gastroprotettore', 'PPI', 'pantoprazole IV', 'pantoprazole 40mg'],
    category: 'FARM', unit: 'fl', packSize: 1, gtin: '08023456001409', supplyMode: 'stock', referencePrice: '1.0500', supplier: 'FARMAVEN', weeklyDemandHint: 80, unitWeightGrams: 15 },
  // insulin is counted in units (UI): one 3 ml pen = 300 UI, one pack = 5 pens = 1500 UI
  { code: 'FARM-INS-ASP', name: 'Insulina aspart 100 UI/ml soluzione iniettabile, penna preriempita 3 ml', nameEn: 'Insulin aspart 100 units/ml solution for injection, 3 ml pre-filled pen',
    synonyms: ['insulina rapida', 'aspart', 'penna aspart', 'insulina pasti', 'insulina prandiale', 'rapid insulin', 'insulin aspart pen', 'bolus insulin'],
    category: 'FARM', unit: 'UI', packSize: 1500, gtin: '08023456001508', supplyMode: 'stock', referencePrice: '0.0190', supplier: 'FARMAVEN', weeklyDemandHint: 1400, unitWeightGrams: null },
  { code: 'FARM-INS-GLA', name: 'Insulina glargine 100 UI/ml soluzione iniettabile, penna preriempita 3 ml', nameEn: 'Insulin glargine 100 units/ml solution for injection, 3 ml pre-filled pen',
    synonyms: ['insulina lenta', 'insulina basale', 'glargine', 'penna glargine', 'long-acting insulin', 'basal insulin', 'insulin glargine pen'],
    category: 'FARM', unit: 'UI', packSize: 1500, gtin: '08023456001607', supplyMode: 'stock', referencePrice: '0.0240', supplier: 'FARMAVEN', weeklyDemandHint: 1000, unitWeightGrams: null },
  { code: 'FARM-GEL-MANI', name: 'Soluzione idroalcolica per frizione antisettica delle mani, flacone 500 ml con dosatore', nameEn: 'Alcohol-based hand rub, 500 ml pump bottle',
    synonyms: ['gel mani', 'gel idroalcolico', 'disinfettante mani', 'soluzione alcolica mani', 'igienizzante', 'hand sanitizer', 'hand rub', 'alcohol gel'],
    category: 'FARM', unit: 'fl', packSize: 12, gtin: '08023456001706', supplyMode: 'stock', referencePrice: '2.9000', supplier: 'FARMAVEN', weeklyDemandHint: 25, unitWeightGrams: 480 },
  { code: 'FARM-CLX-2', name: 'Clorexidina gluconato 2% in alcool isopropilico 70% soluzione cutanea, flacone 250 ml', nameEn: 'Chlorhexidine gluconate 2% in 70% isopropyl alcohol cutaneous solution, 250 ml bottle',
    synonyms: ['clorexidina', 'clorexidina 2%', 'clorexidina alcolica', 'antisettico cute', 'chlorhexidine', 'CHG 2%', 'skin prep'],
    category: 'FARM', unit: 'fl', packSize: 24, gtin: '08023456001805', supplyMode: 'stock', referencePrice: '3.4000', supplier: 'FARMAVEN', weeklyDemandHint: 12, unitWeightGrams: 240 },
  { code: 'FARM-PVI-10', name: 'Iodopovidone 10% soluzione cutanea, flacone 500 ml', nameEn: 'Povidone-iodine 10% cutaneous solution, 500 ml bottle',
    synonyms: ['iodopovidone', 'povidone', 'iodio', 'disinfettante iodato', 'povidone-iodine', 'PVP-I', 'iodine solution'],
    category: 'FARM', unit: 'fl', packSize: 12, gtin: '08023456001904', supplyMode: 'stock', referencePrice: '3.1000', supplier: 'FARMAVEN', weeklyDemandHint: 8, unitWeightGrams: 540 },
  // pass-through drugs: rare antidotes ordered case by case
  { code: 'FARM-IDA-2.5G', name: 'Idarucizumab 2,5 g/50 ml soluzione iniettabile/per infusione', nameEn: 'Idarucizumab 2.5 g/50 ml solution for injection/infusion',
    synonyms: ['idarucizumab', 'antidoto dabigatran', 'reversal dabigatran', 'dabigatran antidote', 'dabigatran reversal'],
    category: 'FARM', unit: 'fl', packSize: 2, gtin: '08023456002000', supplyMode: 'pass_through', referencePrice: '1195.0000', supplier: 'FARMAVEN', weeklyDemandHint: 0, unitWeightGrams: 90 },
  { code: 'FARM-DIGFAB-40', name: 'Frammenti Fab di anticorpi antidigossina 40 mg polvere per soluzione per infusione', nameEn: 'Digoxin immune Fab 40 mg powder for solution for infusion',
    synonyms: ['antidoto digossina', 'fab antidigossina', 'digossina antidoto', 'intossicazione digitalica', 'digoxin antidote', 'digoxin Fab'],
    category: 'FARM', unit: 'fl', packSize: 1, gtin: '08023456002109', supplyMode: 'pass_through', referencePrice: '780.0000', supplier: 'FARMAVEN', weeklyDemandHint: 0, unitWeightGrams: 15 },

  // --- DIAG: diagnostics ---------------------------------------------------------------------------------------
  { code: 'DIAG-STR-GLI', name: 'Strisce reattive per determinazione della glicemia capillare', nameEn: 'Blood glucose test strips',
    synonyms: ['strisce glicemia', 'strisce', 'strisce glucometro', 'stick glicemia', 'destrostix', 'glucose strips', 'test strips', 'BM strips'],
    category: 'DIAG', unit: 'pz', packSize: 50, gtin: '08034567000106', supplyMode: 'stock', referencePrice: '0.1800', supplier: 'LABDIAG', weeklyDemandHint: 350, unitWeightGrams: null },
  { code: 'DIAG-LAN-28G', name: 'Lancette pungidito sterili monouso di sicurezza 28G', nameEn: 'Sterile single-use safety lancets 28G',
    synonyms: ['lancette', 'pungidito', 'lancette pungidito', 'aghi glicemia', 'lancets', 'finger prick lancets', 'safety lancets'],
    category: 'DIAG', unit: 'pz', packSize: 200, gtin: '08034567000205', supplyMode: 'stock', referencePrice: '0.0350', supplier: 'LABDIAG', weeklyDemandHint: 350, unitWeightGrams: 1 },
  { code: 'DIAG-CTRL-GLI', name: 'Soluzione di controllo per glucometro, livello normale', nameEn: 'Glucometer control solution, normal level',
    synonyms: ['soluzione controllo', 'controllo glucometro', 'liquido di controllo glicemia', 'QC glucometro', 'control solution', 'glucometer control', 'glucose control solution'],
    category: 'DIAG', unit: 'fl', packSize: 1, gtin: '08034567000304', supplyMode: 'stock', referencePrice: '3.9000', supplier: 'LABDIAG', weeklyDemandHint: 2, unitWeightGrams: 15 },
  { code: 'DIAG-PRV-SIE', name: 'Provetta sottovuoto per siero con attivatore e gel separatore 5 ml, tappo oro', nameEn: 'Vacuum blood collection tube, serum with clot activator and gel, 5 ml, gold cap',
    synonyms: ['provetta siero', 'provetta gialla', 'provetta tappo oro', 'provetta biochimica', 'tubo siero', 'SST tube', 'gold top', 'serum tube'],
    category: 'DIAG', unit: 'pz', packSize: 100, gtin: '08034567000403', supplyMode: 'stock', referencePrice: '0.0750', supplier: 'LABDIAG', weeklyDemandHint: 400, unitWeightGrams: 6 },
  { code: 'DIAG-PRV-EDTA', name: 'Provetta sottovuoto K2EDTA 3 ml, tappo viola', nameEn: 'Vacuum blood collection tube K2EDTA 3 ml, lavender cap',
    synonyms: ['provetta emocromo', 'provetta viola', 'provetta EDTA', 'tappo viola', 'EDTA tube', 'purple top', 'FBC tube', 'CBC tube'],
    category: 'DIAG', unit: 'pz', packSize: 100, gtin: '08034567000502', supplyMode: 'stock', referencePrice: '0.0600', supplier: 'LABDIAG', weeklyDemandHint: 300, unitWeightGrams: 5 },
  { code: 'DIAG-TR-COV', name: 'Test antigenico rapido SARS-CoV-2 su tampone nasale', nameEn: 'SARS-CoV-2 rapid antigen test, nasal swab',
    synonyms: ['tampone covid', 'test covid', 'tampone rapido', 'antigenico covid', 'covid test', 'rapid antigen test', 'lateral flow covid'],
    category: 'DIAG', unit: 'pz', packSize: 25, gtin: '08034567000601', supplyMode: 'stock', referencePrice: '1.1000', supplier: 'LABDIAG', weeklyDemandHint: 60, unitWeightGrams: 20 },
  { code: 'DIAG-TR-FLU', name: 'Test antigenico rapido combinato SARS-CoV-2 / influenza A+B', nameEn: 'Combined SARS-CoV-2 / influenza A+B rapid antigen test',
    synonyms: ['tampone influenza', 'test influenza', 'combo covid influenza', 'test flu', 'flu test', 'flu covid combo', 'influenza rapid test'],
    category: 'DIAG', unit: 'pz', packSize: 25, gtin: '08034567000700', supplyMode: 'stock', referencePrice: '2.6000', supplier: 'LABDIAG', weeklyDemandHint: 30, unitWeightGrams: 20 },
  { code: 'DIAG-STR-URI', name: 'Strisce reattive per esame urine 10 parametri', nameEn: 'Urine reagent strips, 10 parameters',
    synonyms: ['stick urine', 'strisce urine', 'esame urine rapido', 'stick urinario', 'urine dipstick', 'dipstick', 'urinalysis strips'],
    category: 'DIAG', unit: 'pz', packSize: 100, gtin: '08034567000809', supplyMode: 'stock', referencePrice: '0.0850', supplier: 'LABDIAG', weeklyDemandHint: 40, unitWeightGrams: null },

  // --- ECON: general goods -------------------------------------------------------------------------------------
  { code: 'ECON-ASC-Z', name: 'Asciugamani in carta piegati a Z, 2 veli, pura cellulosa', nameEn: 'Z-fold paper hand towels, 2-ply, virgin pulp',
    synonyms: ['asciugamani carta', 'salviette carta', 'carta mani', 'asciugamani piegati', 'paper towels', 'hand towels', 'Z-fold towels'],
    category: 'ECON', unit: 'pz', packSize: 3000, gtin: '08056789000108', supplyMode: 'stock', referencePrice: '0.0045', supplier: 'CARTAPIU', weeklyDemandHint: 5000, unitWeightGrams: 4 },
  { code: 'ECON-LEN-ROT', name: 'Lenzuolino medico in carta a rotolo 60 cm x 50 m', nameEn: 'Medical couch paper roll 60 cm x 50 m',
    synonyms: ['lenzuolino', 'lenzuolini carta', 'carta lettino', 'rotolo lettino', 'couch roll', 'exam table paper', 'paper sheet roll'],
    category: 'ECON', unit: 'pz', packSize: 6, gtin: null, supplyMode: 'stock', referencePrice: '3.4000', supplier: 'CARTAPIU', weeklyDemandHint: 12, unitWeightGrams: 1200 },
  { code: 'ECON-CON-TAG', name: 'Contenitore rigido per aghi e taglienti 1,5 l', nameEn: 'Rigid sharps container 1.5 l',
    synonyms: ['contenitore aghi', 'contenitore taglienti', 'taglienti', 'box aghi', 'sharps box', 'sharps container', 'sharps bin'],
    category: 'ECON', unit: 'pz', packSize: 50, gtin: '08012345002306', supplyMode: 'stock', referencePrice: '0.8500', supplier: 'MEDISAN', weeklyDemandHint: 20, unitWeightGrams: 180 },

  // --- GAS: medical gases (unit: litres) -----------------------------------------------------------------------
  { code: 'GAS-O2-B2', name: 'Ossigeno medicinale gas compresso 200 bar, bombola 2 l (400 l di gas)', nameEn: 'Medical oxygen compressed gas 200 bar, 2 l cylinder (400 l of gas)',
    synonyms: ['ossigeno', 'bombola ossigeno', 'bombola O2', 'bombola 2 litri', 'O2', 'oxygen', 'oxygen cylinder', 'O2 cylinder'],
    category: 'GAS', unit: 'l', packSize: 400, gtin: '08045678000107', supplyMode: 'stock', referencePrice: '0.0110', supplier: 'OSSIGAS', weeklyDemandHint: 4000, unitWeightGrams: null },
  { code: 'GAS-O2-LIQ', name: 'Ossigeno medicinale liquido, contenitore criogenico domiciliare 31 l', nameEn: 'Medical liquid oxygen, 31 l home cryogenic reservoir',
    synonyms: ['ossigeno liquido', 'O2 liquido', 'unità base ossigeno', 'ossigenoterapia domiciliare', 'liquid oxygen', 'LOX', 'home oxygen'],
    category: 'GAS', unit: 'l', packSize: 31, gtin: null, supplyMode: 'stock', referencePrice: '6.2000', supplier: 'OSSIGAS', weeklyDemandHint: 15, unitWeightGrams: 1141 },

  // --- NUTR: clinical nutrition --------------------------------------------------------------------------------
  { code: 'NUTR-ENT-STD', name: 'Miscela per nutrizione enterale normocalorica con fibre 1 kcal/ml, sacca 500 ml', nameEn: 'Standard enteral feed with fibre 1 kcal/ml, 500 ml bag',
    synonyms: ['nutrizione enterale', 'sacca enterale', 'miscela enterale', 'NE standard', 'enterale con fibre', 'enteral feed', 'tube feed', 'enteral nutrition bag'],
    category: 'NUTR', unit: 'sacca', packSize: 12, gtin: '08078901000100', supplyMode: 'stock', referencePrice: '4.2000', supplier: 'NUTRIMED', weeklyDemandHint: 30, unitWeightGrams: 540 },
  { code: 'NUTR-SET-POMPA', name: 'Set di somministrazione per nutrizione enterale con pompa, connettore ENFit', nameEn: 'Enteral feeding pump administration set, ENFit connector',
    synonyms: ['deflussore enterale', 'set pompa', 'set nutrizione', 'linea enterale', 'enteral giving set', 'feeding set', 'pump set'],
    category: 'NUTR', unit: 'pz', packSize: 30, gtin: '08078901000209', supplyMode: 'stock', referencePrice: '2.7000', supplier: 'NUTRIMED', weeklyDemandHint: 30, unitWeightGrams: 40 },
  { code: 'NUTR-PKU-500', name: 'Alimento a fini medici speciali privo di fenilalanina per fenilchetonuria, polvere 500 g', nameEn: 'Phenylalanine-free food for special medical purposes for PKU, 500 g powder',
    synonyms: ['PKU', 'fenilchetonuria', 'latte PKU', 'alimento PKU', 'formula senza fenilalanina', 'PKU formula', 'phenylalanine-free formula'],
    category: 'NUTR', unit: 'cf', packSize: 1, gtin: '08078901000308', supplyMode: 'pass_through', referencePrice: '58.0000', supplier: 'NUTRIMED', weeklyDemandHint: 0, unitWeightGrams: 560 },
];

// ---------------------------------------------------------------------------------------------------------------
// Organisations and location trees
// ---------------------------------------------------------------------------------------------------------------

export const demoOrganisations: readonly DemoOrganisation[] = [
  {
    code: 'AOPD',
    name: 'Azienda Ospedale-Università Padova',
    kind: 'hospital_trust',
    locations: [
      { code: 'MAG', name: 'Magazzino Generale', nameEn: 'Central warehouse', kind: 'warehouse', aliases: ['magazzino', 'magazzino centrale', 'warehouse', 'central store'] },
      { code: 'FARM', name: 'Farmacia Ospedaliera', nameEn: 'Hospital pharmacy', kind: 'pharmacy', aliases: ['farmacia', 'pharmacy'] },
      { code: 'CARD', name: 'Cardiologia', nameEn: 'Cardiology', kind: 'ward', aliases: ['cardio', 'cardiology', 'UTIC'] },
      { code: 'CARD-MR', name: 'Magazzino di reparto Cardiologia', nameEn: 'Cardiology ward store', kind: 'ward_store', parent: 'CARD' },
      { code: 'CHIR', name: 'Chirurgia Generale', nameEn: 'General surgery', kind: 'ward', aliases: ['chirurgia', 'surgery', 'general surgery'] },
      { code: 'CHIR-MR', name: 'Magazzino di reparto Chirurgia Generale', nameEn: 'General surgery ward store', kind: 'ward_store', parent: 'CHIR' },
      { code: 'PS', name: 'Pronto Soccorso', nameEn: 'Emergency department', kind: 'ward', aliases: ['PS', 'ER', 'emergency room', 'DEA', 'emergency department'] },
      { code: 'PS-MR', name: 'Magazzino di reparto Pronto Soccorso', nameEn: 'Emergency department ward store', kind: 'ward_store', parent: 'PS' },
      { code: 'TI', name: 'Terapia Intensiva', nameEn: 'Intensive care unit', kind: 'ward', aliases: ['TI', 'ICU', 'rianimazione', 'intensive care'] },
      { code: 'TI-MR', name: 'Magazzino di reparto Terapia Intensiva', nameEn: 'ICU ward store', kind: 'ward_store', parent: 'TI' },
      { code: 'TI-ARM1', name: 'Armadio intelligente TI 1', nameEn: 'ICU smart cabinet 1', kind: 'cabinet', parent: 'TI-MR', aliases: ['armadio 1', 'smart cabinet 1'] },
      { code: 'MED', name: 'Medicina Interna', nameEn: 'Internal medicine', kind: 'ward', aliases: ['medicina', 'internal medicine'] },
      { code: 'MED-MR', name: 'Magazzino di reparto Medicina Interna', nameEn: 'Internal medicine ward store', kind: 'ward_store', parent: 'MED' },
    ],
  },
  {
    code: 'ULSS6',
    name: 'Azienda ULSS 6 Euganea',
    kind: 'local_health_unit',
    locations: [
      { code: 'ULSS6-MAG', name: 'Magazzino ULSS 6 Euganea', nameEn: 'ULSS 6 warehouse', kind: 'warehouse', aliases: ['magazzino', 'warehouse'] },
      { code: 'ADI-PD', name: 'Assistenza Domiciliare Integrata – Distretto Padova', nameEn: 'Integrated home care – Padova district', kind: 'ward', aliases: ['ADI', 'home care', 'assistenza domiciliare'] },
      { code: 'DOM-P001', name: 'Domicilio paziente P-001', nameEn: 'Home of patient P-001', kind: 'home', parent: 'ADI-PD', patientCode: 'P-001' },
      { code: 'DOM-P002', name: 'Domicilio paziente P-002', nameEn: 'Home of patient P-002', kind: 'home', parent: 'ADI-PD', patientCode: 'P-002' },
      { code: 'DOM-P003', name: 'Domicilio paziente P-003', nameEn: 'Home of patient P-003', kind: 'home', parent: 'ADI-PD', patientCode: 'P-003' },
      { code: 'DOM-P004', name: 'Domicilio paziente P-004', nameEn: 'Home of patient P-004', kind: 'home', parent: 'ADI-PD', patientCode: 'P-004' },
      { code: 'DOM-P005', name: 'Domicilio paziente P-005', nameEn: 'Home of patient P-005', kind: 'home', parent: 'ADI-PD', patientCode: 'P-005' },
    ],
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Users (fictional people)
// ---------------------------------------------------------------------------------------------------------------

export const demoUsers: readonly DemoUser[] = [
  { username: 'm.bellini', displayName: 'Marco Bellini', locale: 'it', organisation: 'AOPD', role: 'admin' },
  { username: 'c.zanon', displayName: 'Chiara Zanon', locale: 'it', organisation: 'ULSS6', role: 'admin' },
  { username: 'l.scarpa', displayName: 'Luca Scarpa', locale: 'it', organisation: 'AOPD', role: 'warehouse', location: 'MAG' },
  { username: 'e.benetti', displayName: 'Elena Benetti', locale: 'it', organisation: 'AOPD', role: 'pharmacist', location: 'FARM' },
  { username: 'f.rinaldi', displayName: 'Francesca Rinaldi', locale: 'it', organisation: 'AOPD', role: 'ward_nurse', location: 'CARD' },
  { username: 'd.moretto', displayName: 'Davide Moretto', locale: 'it', organisation: 'AOPD', role: 'ward_nurse', location: 'PS' },
  { username: 's.mitchell', displayName: 'Sarah Mitchell', locale: 'en', organisation: 'AOPD', role: 'ward_nurse', location: 'TI' },
  { username: 'p.fabris', displayName: 'Paola Fabris', locale: 'it', organisation: 'ULSS6', role: 'home_care', location: 'ADI-PD' },
];

// ---------------------------------------------------------------------------------------------------------------
// Consumption profiles (stock items only)
// ---------------------------------------------------------------------------------------------------------------

/** Typical weekly consumption per ward (busy ward, units as in each item's `unit`). */
export const demoWardProfile: Record<DemoWardCode, DemoWardProfileLine[]> = {
  CARD: [
    { itemCode: 'DPI-GUA-NM', weeklyUnits: 1000 },
    { itemCode: 'DPI-GUA-NS', weeklyUnits: 300 },
    { itemCode: 'DPI-MAS-CHI', weeklyUnits: 300 },
    { itemCode: 'DM-SIR-005', weeklyUnits: 250 },
    { itemCode: 'DM-SIR-010', weeklyUnits: 300 },
    { itemCode: 'DM-AGO-21G', weeklyUnits: 200 },
    { itemCode: 'DM-ACA-20G', weeklyUnits: 70 },
    { itemCode: 'DM-ACA-22G', weeklyUnits: 40 },
    { itemCode: 'DM-ELE-ECG', weeklyUnits: 700 },
    { itemCode: 'MEDIC-TRA-CVP', weeklyUnits: 70 },
    { itemCode: 'FARM-EPA-5000', weeklyUnits: 80 },
    { itemCode: 'FARM-ENOX-4000', weeklyUnits: 90 },
    { itemCode: 'FARM-FUR-20', weeklyUnits: 150 },
    { itemCode: 'FARM-NACL-100', weeklyUnits: 200 },
    { itemCode: 'FARM-PCM-1G', weeklyUnits: 50 },
    { itemCode: 'DIAG-STR-GLI', weeklyUnits: 200 },
    { itemCode: 'DIAG-LAN-28G', weeklyUnits: 200 },
    { itemCode: 'DIAG-PRV-SIE', weeklyUnits: 250 },
  ],
  CHIR: [
    { itemCode: 'DM-GUA-ST70', weeklyUnits: 120 },
    { itemCode: 'DM-GUA-ST75', weeklyUnits: 120 },
    { itemCode: 'DPI-GUA-NM', weeklyUnits: 1400 },
    { itemCode: 'DPI-MAS-CHI', weeklyUnits: 500 },
    { itemCode: 'MEDIC-GAR-10', weeklyUnits: 1500 },
    { itemCode: 'MEDIC-ADE-108', weeklyUnits: 250 },
    { itemCode: 'MEDIC-CER-ROT', weeklyUnits: 20 },
    { itemCode: 'DM-SUT-30', weeklyUnits: 50 },
    { itemCode: 'DM-ACA-18G', weeklyUnits: 60 },
    { itemCode: 'DM-ACA-20G', weeklyUnits: 100 },
    { itemCode: 'FARM-NACL-500', weeklyUnits: 250 },
    { itemCode: 'FARM-RL-500', weeklyUnits: 200 },
    { itemCode: 'FARM-PCM-1G', weeklyUnits: 250 },
    { itemCode: 'FARM-KET-30', weeklyUnits: 150 },
    { itemCode: 'FARM-ENOX-4000', weeklyUnits: 140 },
    { itemCode: 'FARM-AMC-2G', weeklyUnits: 60 },
    { itemCode: 'FARM-PAN-40', weeklyUnits: 90 },
    { itemCode: 'FARM-PVI-10', weeklyUnits: 10 },
  ],
  PS: [
    { itemCode: 'DPI-GUA-NM', weeklyUnits: 2500 },
    { itemCode: 'DPI-GUA-NL', weeklyUnits: 1200 },
    { itemCode: 'DPI-GUA-NS', weeklyUnits: 600 },
    { itemCode: 'DPI-MAS-CHI', weeklyUnits: 1500 },
    { itemCode: 'DPI-MAS-FFP2', weeklyUnits: 300 },
    { itemCode: 'DPI-CAM-TNT', weeklyUnits: 150 },
    { itemCode: 'FARM-NACL-100', weeklyUnits: 300 },
    { itemCode: 'FARM-NACL-250', weeklyUnits: 200 },
    { itemCode: 'FARM-NACL-500', weeklyUnits: 300 },
    { itemCode: 'DM-ACA-18G', weeklyUnits: 120 },
    { itemCode: 'DM-ACA-20G', weeklyUnits: 250 },
    { itemCode: 'DM-SIR-010', weeklyUnits: 500 },
    { itemCode: 'DM-ELE-ECG', weeklyUnits: 800 },
    { itemCode: 'DIAG-PRV-SIE', weeklyUnits: 600 },
    { itemCode: 'DIAG-PRV-EDTA', weeklyUnits: 500 },
    { itemCode: 'DIAG-TR-COV', weeklyUnits: 150 },
    { itemCode: 'DIAG-TR-FLU', weeklyUnits: 80 },
    { itemCode: 'FARM-KET-30', weeklyUnits: 250 },
  ],
  TI: [
    { itemCode: 'DM-SIR-010', weeklyUnits: 1000 },
    { itemCode: 'DM-SIR-020', weeklyUnits: 600 },
    { itemCode: 'DM-SIR-005', weeklyUnits: 500 },
    { itemCode: 'DM-AGO-23G', weeklyUnits: 200 },
    { itemCode: 'DM-ACA-20G', weeklyUnits: 60 },
    { itemCode: 'DM-ELE-ECG', weeklyUnits: 500 },
    { itemCode: 'DM-FOL-CH14', weeklyUnits: 12 },
    { itemCode: 'DM-SAC-URI', weeklyUnits: 60 },
    { itemCode: 'MEDIC-TRA-CVP', weeklyUnits: 150 },
    { itemCode: 'DPI-GUA-NM', weeklyUnits: 2000 },
    { itemCode: 'DPI-CAM-TNT', weeklyUnits: 200 },
    { itemCode: 'FARM-EPA-5000', weeklyUnits: 200 },
    { itemCode: 'FARM-MOR-10', weeklyUnits: 60 },
    { itemCode: 'FARM-FUR-20', weeklyUnits: 100 },
    { itemCode: 'FARM-NACL-100', weeklyUnits: 400 },
    { itemCode: 'FARM-GLU5-500', weeklyUnits: 80 },
    { itemCode: 'FARM-CLX-2', weeklyUnits: 20 },
    { itemCode: 'NUTR-ENT-STD', weeklyUnits: 40 },
  ],
  MED: [
    { itemCode: 'DPI-GUA-NM', weeklyUnits: 1500 },
    { itemCode: 'DPI-GUA-NL', weeklyUnits: 600 },
    { itemCode: 'DPI-MAS-CHI', weeklyUnits: 400 },
    { itemCode: 'DM-SIR-INS', weeklyUnits: 150 },
    { itemCode: 'DM-SIR-005', weeklyUnits: 300 },
    { itemCode: 'DM-AGO-21G', weeklyUnits: 300 },
    { itemCode: 'DM-ACA-22G', weeklyUnits: 90 },
    { itemCode: 'DM-CAN-O2', weeklyUnits: 30 },
    { itemCode: 'FARM-NACL-100', weeklyUnits: 350 },
    { itemCode: 'FARM-GLU5-500', weeklyUnits: 80 },
    { itemCode: 'FARM-ENOX-4000', weeklyUnits: 120 },
    { itemCode: 'FARM-FUR-20', weeklyUnits: 120 },
    { itemCode: 'FARM-CTX-1G', weeklyUnits: 60 },
    { itemCode: 'FARM-INS-ASP', weeklyUnits: 1500 },
    { itemCode: 'FARM-INS-GLA', weeklyUnits: 1200 },
    { itemCode: 'DIAG-STR-GLI', weeklyUnits: 400 },
    { itemCode: 'DIAG-LAN-28G', weeklyUnits: 400 },
    { itemCode: 'GAS-O2-B2', weeklyUnits: 4000 },
  ],
};

/**
 * Daily home consumption per pseudonymous patient (integers, units as in each item's `unit`).
 * P-001 type 1 diabetes (basal-bolus), P-002 type 2 diabetes (basal insulin), P-003 long-term oxygen therapy
 * (about 2 l/min for 15 h/day, roughly 2 l of liquid oxygen), P-004 long-term urinary catheter, P-005 enteral nutrition via PEG.
 */
export const demoHomeProfile: Record<DemoPatientCode, DemoHomeProfileLine[]> = {
  'P-001': [
    { itemCode: 'DIAG-STR-GLI', dailyUnits: 4 },
    { itemCode: 'DIAG-LAN-28G', dailyUnits: 4 },
    { itemCode: 'FARM-INS-ASP', dailyUnits: 18 },
    { itemCode: 'FARM-INS-GLA', dailyUnits: 20 },
    { itemCode: 'DM-AGO-PEN', dailyUnits: 4 },
  ],
  'P-002': [
    { itemCode: 'DIAG-STR-GLI', dailyUnits: 4 },
    { itemCode: 'DIAG-LAN-28G', dailyUnits: 4 },
    { itemCode: 'FARM-INS-GLA', dailyUnits: 24 },
    { itemCode: 'DM-AGO-PEN', dailyUnits: 1 },
  ],
  'P-003': [
    { itemCode: 'GAS-O2-LIQ', dailyUnits: 2 },
  ],
  'P-004': [
    { itemCode: 'DM-SAC-URI', dailyUnits: 1 },
    { itemCode: 'MEDIC-GAR-10', dailyUnits: 2 },
    { itemCode: 'DPI-GUA-NM', dailyUnits: 4 },
  ],
  'P-005': [
    { itemCode: 'NUTR-ENT-STD', dailyUnits: 3 },
    { itemCode: 'NUTR-SET-POMPA', dailyUnits: 1 },
    { itemCode: 'MEDIC-GAR-10', dailyUnits: 2 },
  ],
};
