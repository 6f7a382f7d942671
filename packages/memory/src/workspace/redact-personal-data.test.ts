import { describe, expect, it } from 'vitest';
import { redactPersonalData } from './redact-personal-data';

describe('redactPersonalData', () => {
  it('replaces emails, phone numbers and names, and leaves the rest', () => {
    expect(redactPersonalData('email.send to jane.doe@example.com')).toBe('email.send to [email]');
    expect(redactPersonalData('call (415) 555-0132 then +44 20 7946 0958')).toBe('call [phone] then [phone]');
    expect(redactPersonalData('meeting with Maria Lopez about the renewal')).toBe(
      'meeting with [name] about the renewal',
    );
    expect(redactPersonalData('deal.update')).toBe('deal.update');
    expect(redactPersonalData('invoice of $400 due March 3')).toBe('invoice of $400 due March 3');
  });
});
