import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// jsdom is slow when every spec file runs at once: give findBy*/waitFor room.
configure({ asyncUtilTimeout: 5000 });

// The build's specs run in Node (no DOM): the rest is for the jsdom ones.
const dom = typeof window !== 'undefined';

afterEach(() => {
  if (!dom) return;
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
});

// jsdom has <dialog> but not its methods.
if (dom && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
}
