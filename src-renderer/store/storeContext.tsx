// Hands a zustand store to the component tree: a provider and the `use…(selector)` hook components read it with.
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';

export interface StoreContext<S> {
  Provider(props: { store: StoreApi<S>; children: ReactNode }): ReactNode;
  use<T>(selector: (state: S) => T): T;
}

/** `name` is the hook's, for the error a component outside the provider gets. */
export function createStoreContext<S>(name: string): StoreContext<S> {
  const Context = createContext<StoreApi<S> | null>(null);
  return {
    Provider: ({ store, children }) => <Context.Provider value={store}>{children}</Context.Provider>,
    use<T>(selector: (state: S) => T): T {
      const store = useContext(Context);
      if (store === null) throw new Error(`${name} outside its provider`);
      return useStore(store, selector);
    },
  };
}
