// X.509 names as Raincoat writes them (one common name) and reads them: the common name of a Name or a certificate.
import type { X509Certificate } from 'node:crypto';
import { DerError, TAG, children, expectTag, objectIdentifier, sequence, set, utf8String } from './der.ts';
import type { Element } from './der.ts';

const COMMON_NAME = objectIdentifier('2.5.4.3');
/** UTF8String, PrintableString, IA5String: the string types whose bytes read as UTF-8. */
const TEXT_TAGS: ReadonlySet<number> = new Set([TAG.UTF8_STRING, TAG.PRINTABLE_STRING, TAG.IA5_STRING]);

/** A Name made of one commonName attribute, as a UTF8String. */
export function commonNameDer(commonName: string): Buffer {
  return sequence(set(sequence(COMMON_NAME, utf8String(commonName))));
}

/** The first common name in a Name element; undefined when it has none. */
export function readCommonName(name: Element): string | undefined {
  for (const rdn of children(expectTag(name, TAG.SEQUENCE, 'a name'))) {
    for (const attribute of children(expectTag(rdn, TAG.SET, 'a relative distinguished name'))) {
      const [type, value] = children(expectTag(attribute, TAG.SEQUENCE, 'an attribute'));
      if (!type || !value) throw new DerError('expected an attribute type and value');
      if (!type.encoded.equals(COMMON_NAME)) continue;
      if (!TEXT_TAGS.has(value.tag)) throw new DerError('expected the common name as a string');
      return value.content.toString('utf8');
    }
  }
  return undefined;
}

/** The common name of a certificate's subject, or undefined when it has none (or several). */
export function certificateCommonName(cert: X509Certificate): string | undefined {
  const names = cert.subject.split('\n').filter((line) => line.startsWith('CN='));
  return names.length === 1 ? names[0]!.slice(3) : undefined;
}
