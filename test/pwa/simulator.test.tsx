// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../core/policy/types.ts';
import { PolicySimulator } from '../../pwa/src/admin/policy-simulator.tsx';
import { choose, click, render, type Rendered, type } from './support/render.tsx';

const policy: PolicyDocument = {
  urlBlocklist: ['*', 'ads.mail.example.com'],
  urlAllowlist: ['mail.example.com', 'intranet.example.com'],
  apps: [{ id: 'mail', name: 'Mail', urls: ['mail.example.com'] }],
  dataControls: [
    {
      name: 'Keep mail inside',
      rule_id: 'mail-out',
      sources: { apps: ['mail'] },
      destinations: { not: { apps: ['mail'] } },
      restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
    },
    {
      name: 'Report printing',
      rule_id: 'print-report',
      restrictions: [{ class: 'PRINTING', level: 'REPORT' }],
    },
  ],
};

let view: Rendered;
afterEach(() => view.unmount());

function verdict(name: string): string {
  return view.getByRole('status', name).textContent ?? '';
}

describe('policy simulator', () => {
  it('says which filter decides a URL, as the extension would', () => {
    view = render(<PolicySimulator document={policy} />);
    const url = view.getByLabel('Address to test');

    type(url, 'https://news.example.org/today');
    expect(verdict('URL verdict')).toMatch(/Blocked by the filter \*/);
    expect(verdict('URL verdict')).toMatch(/line 1 of the blocked sites/);

    type(url, 'https://mail.example.com/inbox');
    expect(verdict('URL verdict')).toMatch(/Allowed by the exception mail\.example\.com/);

    // The more specific block filter beats the allow filter for the subdomain.
    type(url, 'ads.mail.example.com');
    expect(verdict('URL verdict')).toMatch(/Blocked by the filter ads\.mail\.example\.com/);

    type(url, 'http://exa mple');
    expect(verdict('URL verdict')).toMatch(/Enter a full address/);
  });

  it('answers "copy from A to B" with the level and the deciding rule', () => {
    view = render(<PolicySimulator document={policy} />);
    type(view.getByLabel('From page (A)'), 'https://mail.example.com/msg/1');
    type(view.getByLabel('To page (B)'), 'https://personal.example/notes');
    expect(verdict('Data verdict')).toMatch(
      /BLOCK — blocked — by rule “Keep mail inside” \(mail-out\)/,
    );

    type(view.getByLabel('To page (B)'), 'https://mail.example.com/compose');
    expect(verdict('Data verdict')).toMatch(/Allowed: no rule applies/);

    click(view.getByLabel(/B is another program/));
    expect(verdict('Data verdict')).toMatch(/BLOCK/);
  });

  it('covers print with the source page only', () => {
    view = render(<PolicySimulator document={policy} />);
    choose(view.getByLabel('Action'), 'print');
    expect(view.queryByRole('textbox', 'To page (B)')).toBeNull();
    type(view.getByLabel('From page (A)'), 'https://intranet.example.com/report');
    expect(verdict('Data verdict')).toMatch(
      /REPORT — allowed, and recorded — by rule “Report printing”/,
    );
  });

  it('asks for a valid policy before simulating', () => {
    view = render(<PolicySimulator document={null} />);
    expect(view.text()).toMatch(/Fix the errors in the policy to simulate it/);
    expect((view.getByLabel('Address to test') as HTMLInputElement).disabled).toBe(true);
  });
});
