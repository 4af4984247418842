"use client";

import { useState } from "react";

import type { SortDirection } from "./table";

export interface SortState<Key extends string> {
  key: Key;
  direction: SortDirection;
}

/**
 * The sort of a table with sortable headers: clicking a column sorts by it, descending first;
 * clicking it again flips the direction.
 */
export function useSortState<Key extends string>(initial: SortState<Key>) {
  const [sort, setSort] = useState(initial);
  const sortBy = (key: Key) =>
    setSort((current) => ({
      key,
      direction: current.key === key && current.direction === "desc" ? "asc" : "desc",
    }));
  return [sort, sortBy] as const;
}
