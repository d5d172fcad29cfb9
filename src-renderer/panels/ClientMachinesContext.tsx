// Hands the client-machine panel its calls to main and the page's clipboard and downloads (main.tsx gives them; a test its fakes).
import { createContext, useContext } from 'react';
import type { Api } from '../../src-shared/contract/contract.ts';

export interface ClientMachinesPort {
  api: Pick<Api, 'clients.firstBoot' | 'clients.profile'>;
  copy(text: string): Promise<void>;
  download(name: string, text: string): void;
}

const ClientMachinesContext = createContext<ClientMachinesPort | null>(null);

export const ClientMachinesProvider = ClientMachinesContext.Provider;

export function useClientMachinesPort(): ClientMachinesPort {
  const port = useContext(ClientMachinesContext);
  if (port === null) throw new Error('useClientMachinesPort outside its provider');
  return port;
}
