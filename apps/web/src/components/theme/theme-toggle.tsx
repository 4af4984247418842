"use client";

import { Monitor, Moon, Sun } from "lucide-react";
import { useEffect, useSyncExternalStore } from "react";

import {
  isDarkTheme,
  nextThemePreference,
  parseThemePreference,
  THEME_STORAGE_KEY,
  type ThemePreference,
} from "./theme-preference";

const DARK_QUERY = "(prefers-color-scheme: dark)";

function subscribeToSystemTheme(onChange: () => void) {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

/** Same-tab writes do not fire "storage", so the toggle announces its own. */
const PREFERENCE_EVENT = "plumbline-theme-change";

function subscribeToPreference(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(PREFERENCE_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(PREFERENCE_EVENT, onChange);
  };
}

function savePreference(preference: ThemePreference) {
  window.localStorage.setItem(THEME_STORAGE_KEY, preference);
  window.dispatchEvent(new Event(PREFERENCE_EVENT));
}

const LABELS: Record<ThemePreference, string> = {
  system: "Theme: system",
  light: "Theme: light",
  dark: "Theme: dark",
};

/** Cycles system → light → dark; the choice is kept in this browser only. */
export function ThemeToggle() {
  // The server cannot know the saved choice: it renders "system" and the browser corrects it.
  const preference = useSyncExternalStore(
    subscribeToPreference,
    () => parseThemePreference(window.localStorage.getItem(THEME_STORAGE_KEY)),
    (): ThemePreference => "system",
  );
  const systemPrefersDark = useSyncExternalStore(
    subscribeToSystemTheme,
    () => window.matchMedia(DARK_QUERY).matches,
    () => false,
  );

  useEffect(() => {
    document.documentElement.classList.toggle("dark", isDarkTheme(preference, systemPrefersDark));
  }, [preference, systemPrefersDark]);

  const Icon = preference === "dark" ? Moon : preference === "light" ? Sun : Monitor;
  return (
    <button
      type="button"
      data-testid="theme-toggle"
      data-theme-preference={preference}
      title={`${LABELS[preference]} (click to change)`}
      aria-label={`${LABELS[preference]}. Change theme`}
      onClick={() => savePreference(nextThemePreference(preference))}
      className="grid size-7 place-items-center rounded-md text-ink-faint hover:bg-hover hover:text-ink"
    >
      <Icon className="size-4" aria-hidden />
    </button>
  );
}
