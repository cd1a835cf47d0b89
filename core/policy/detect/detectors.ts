import { cloudToken } from './cloud-token.ts';
import { codeHostToken } from './code-host-token.ts';
import type { Detector } from './detector.ts';
import { emailList } from './email-list.ts';
import { frNir } from './fr-nir.ts';
import { iban } from './iban.ts';
import { jwt } from './jwt.ts';
import { paymentCard } from './payment-card.ts';
import { privateKey } from './private-key.ts';
import { usSsn } from './us-ssn.ts';

/** The built-in detectors, by id: what `dataControls[].content.detectors` may name. */
export const DETECTORS: ReadonlyMap<string, Detector> = new Map(
  [paymentCard, iban, usSsn, frNir, emailList, privateKey, cloudToken, codeHostToken, jwt].map(
    (d) => [d.id, d],
  ),
);

export const DETECTOR_IDS: readonly string[] = [...DETECTORS.keys()];
