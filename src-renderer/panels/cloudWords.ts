// What each cloud is called on screen, in the order the form offers them.
import type { CloudProvider } from '../../src-shared/topology/schemas.ts';

export const CLOUD_WORDS: Record<CloudProvider, string> = {
  ec2: 'Amazon EC2',
  eucalyptus: 'Eucalyptus',
  azure: 'Microsoft Azure',
  gcp: 'Google Cloud (GCP)',
  'on-premises': 'On-premises',
  existing: 'Any other host',
};
