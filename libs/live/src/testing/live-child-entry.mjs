// Entry of the kill-and-resume child process. ccxt is loaded natively before tsx's hooks are registered: under the
// hooks its few hundred modules load several times slower, and the child would spend most of its life starting.
// Plain JavaScript, because it must run before any TypeScript hook exists.
import 'ccxt';
import { register } from 'tsx/esm/api';

register();
await import('./live-child.ts');
