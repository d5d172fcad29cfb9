import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstBootScript, hostAndPort } from './firstBootScript.ts';
import type { EnrollmentPlace } from './firstBootScript.ts';

const template = readFileSync(new URL('../../../resources/agent/cloud-init/client-user-data.sh', import.meta.url), 'utf8');
const ca = '-----BEGIN CERTIFICATE-----\nMIIBcontrolCA\n-----END CERTIFICATE-----\n';
const place: EnrollmentPlace = { host: '198.51.100.7', port: 8443, node: 'root-2', token: 'rce_0123456789abcdef.c2VjcmV0-_', controlCaPem: ca };

describe('firstBootScript', () => {
  it('puts every value between the quotes of its placeholder in the real template, and leaves none unfilled', () => {
    const script = firstBootScript(template, place);
    expect(script).toContain("RAINCOAT_HOST='198.51.100.7'");
    expect(script).toContain("RAINCOAT_PORT='8443'");
    expect(script).toContain("RAINCOAT_NODE='root-2'");
    expect(script).toContain("RAINCOAT_TOKEN='rce_0123456789abcdef.c2VjcmV0-_'");
    expect(script).toContain("RAINCOAT_CONTROL_CA='-----BEGIN CERTIFICATE-----\nMIIBcontrolCA\n-----END CERTIFICATE-----'");
    expect(script).not.toMatch(/'@@[A-Z_]+@@'/);
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
  });

  it.each([
    ['a value with a single quote', template, { ...place, host: "x'; rm -rf /; '" }, 'enroll_host holds a single quote, which the script cannot carry'],
    ['a template without a slot', template.replace("'@@ENROLL_TOKEN@@'", 'nothing'), place, "the first-boot script has no '@@ENROLL_TOKEN@@' to fill"],
  ])('refuses %s', (_what, text, at, message) => {
    expect(() => firstBootScript(text, at)).toThrow(message);
  });
});

describe('hostAndPort', () => {
  it.each([
    ['https://203.0.113.4:9443', { host: '203.0.113.4', port: 9443 }],
    ['https://root-1.example', { host: 'root-1.example', port: 443 }],
  ])('%s', (url, expected) => {
    expect(hostAndPort(url)).toEqual(expected);
  });
});
