import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { DeviceKeyStore } from './types.ts';

interface KeySchema extends DBSchema {
  keys: { key: 'device'; value: CryptoKeyPair };
}

/**
 * The device key in IndexedDB (`palisade-keys`). IndexedDB stores CryptoKey objects by
 * structured clone, keeping the non-extractable flag: the private key can sign here, and
 * nothing — this code included — can read its bytes out.
 */
export function idbDeviceKeys(name = 'palisade-keys'): DeviceKeyStore {
  let db: Promise<IDBPDatabase<KeySchema>> | null = null;
  const open = () =>
    (db ??= openDB<KeySchema>(name, 1, {
      upgrade(d) {
        d.createObjectStore('keys');
      },
    }));
  return {
    async get() {
      return (await (await open()).get('keys', 'device')) ?? null;
    },
    async put(pair) {
      await (await open()).put('keys', pair, 'device');
    },
    async remove() {
      await (await open()).delete('keys', 'device');
    },
  };
}
