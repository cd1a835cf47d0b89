import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../../../core/policy/detect/detectors.ts';
import { ibanValid } from '../../../core/policy/detect/iban.ts';
import { nirValid } from '../../../core/policy/detect/fr-nir.ts';
import { luhnValid } from '../../../core/policy/detect/payment-card.ts';
import { ssnValid } from '../../../core/policy/detect/us-ssn.ts';

const scan = (id: string, text: string) => DETECTORS.get(id)!.scan(text);

describe('checksums', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['5555555555554444', true],
    ['378282246310005', true],
    ['378282246310006', false],
    ['6011111111111117', true],
    ['79927398713', true], // the textbook Luhn example
    ['79927398710', false],
  ])('Luhn %s → %s', (digits, valid) => expect(luhnValid(digits)).toBe(valid));

  it.each([
    ['GB82WEST12345698765432', true],
    ['GB82WEST12345698765433', false],
    ['GB83WEST12345698765432', false],
    ['FR7630006000011234567890189', true],
    ['DE89370400440532013000', true],
    ['DE89370400440532013001', false],
    ['NL91ABNA0417164300', true],
    ['GB82WEST', false], // too short
  ])('IBAN mod-97 %s → %s', (value, valid) => expect(ibanValid(value)).toBe(valid));

  it.each([
    [123, 45, 6789, true],
    [0, 45, 6789, false], // area 000
    [666, 45, 6789, false], // area 666
    [900, 45, 6789, false], // area 9xx
    [999, 45, 6789, false],
    [899, 45, 6789, true],
    [123, 0, 6789, false], // group 00
    [123, 45, 0, false], // serial 0000
    [1, 1, 1, true],
  ])('SSN %i-%i-%i → %s', (a, g, s, valid) => expect(ssnValid(a, g, s)).toBe(valid));

  it.each([
    ['185057800608491', true], // key = 97 − (1850578006084 mod 97) = 91
    ['185057800608492', false],
    ['29002 2A00401218'.replace(' ', ''), true], // Corsica 2A counts as 19
    ['290022B00401245', true], // Corsica 2B counts as 18
    ['290022A00401245', false], // 2B's key on a 2A number
    ['290022C00401218', false],
    ['585057800608491', false], // no such first digit
    ['185137800608491', false], // month 13
    ['18505780060849', false], // 14 characters
  ])('NIR %s → %s', (nir, valid) => expect(nirValid(nir)).toBe(valid));
});

describe('detectors in text', () => {
  it.each([
    ['payment_card', 'card 4111 1111 1111 1111 exp 12/29', 1],
    ['payment_card', 'card 4111-1111-1111-1111, and 5555555555554444.', 2],
    ['payment_card', '4111111111111112', 0], // bad check digit
    ['payment_card', 'order 41111111111111110000', 0], // part of a longer number
    ['payment_card', 'x4111111111111111', 0], // glued to a word
    ['payment_card', '1111111111111117', 0], // passes Luhn, no network starts with 1
    ['payment_card', '4111  1111 1111 1111', 0], // two spaces split it
    ['payment_card', 'card 4111 1111 1111 1111 12 29', 1], // the expiry is not part of it
    ['iban', 'Pay to FR76 3000 6000 0112 3456 7890 189 today', 1],
    ['iban', 'IBAN: GB82WEST12345698765432.', 1],
    ['iban', 'GB82 WEST 1234 5698 7654 32 EUR', 1],
    ['iban', 'GB82 WEST 1234 5698 7654 33', 0],
    ['iban', 'XGB82WEST12345698765432', 0],
    ['us_ssn', 'SSN 123-45-6789.', 1],
    ['us_ssn', 'SSN 123 45 6789', 1],
    ['us_ssn', '123-45 6789', 0], // mixed separators
    ['us_ssn', '666-45-6789 000-12-3456 900-12-3456 123-00-4567 123-45-0000', 0],
    ['us_ssn', '123456789', 0], // bare digits are left alone
    ['us_ssn', '1123-45-6789', 0],
    ['fr_nir', 'NIR 1 85 05 78 006 084 91.', 1],
    ['fr_nir', '185057800608491', 1],
    ['fr_nir', '2 90 02 2A 004 012 18', 1],
    ['fr_nir', '1 85 05 78 006 084 92', 0],
    ['email_list', 'a@x.org, b@x.org; c@x.org\nd@x.org e@example.co.uk.', 5],
    ['email_list', 'write to a@x.org or b@x.org', 0], // two addresses are not a list
    ['email_list', '@@@@ a@b @c.d x@y.z', 0],
    ['private_key', '-----BEGIN RSA PRIVATE KEY-----\nMIIE…\n-----END RSA PRIVATE KEY-----', 1],
    ['private_key', '-----BEGIN OPENSSH PRIVATE KEY-----\n-----BEGIN PRIVATE KEY-----', 2],
    ['private_key', '-----BEGIN PUBLIC KEY-----\n-----BEGIN CERTIFICATE-----', 0],
    ['cloud_token', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 1],
    ['cloud_token', 'AKIAIOSFODNN7EXAMPLEX', 0], // too long
    ['cloud_token', `key=AIza${'A'.repeat(35)}`, 1],
    ['cloud_token', `sk_live_${'a1'.repeat(12)}`, 1],
    ['code_host_token', `token ghp_${'a'.repeat(36)}`, 1],
    ['code_host_token', `ghp_${'a'.repeat(35)}`, 0],
    ['code_host_token', `github_pat_${'A_'.repeat(41)} glpat-${'x'.repeat(20)}`, 2],
    [
      'jwt',
      'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      1,
    ],
    ['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.short', 0],
    ['jwt', 'eyJhbGciOiJIUzI1NiJ9.notjson.SflKxwRJSMeKKF2QT4fwpMeJf36POk6y', 0],
  ])('%s in %j → %i', (id, text, count) => expect(scan(id, text)).toBe(count));
});
