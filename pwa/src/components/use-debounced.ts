import { useEffect, useState } from 'preact/hooks';

/** `value`, updated only after it has stopped changing for `ms` (search-as-you-type). */
export function useDebounced<T>(value: T, ms = 250): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
