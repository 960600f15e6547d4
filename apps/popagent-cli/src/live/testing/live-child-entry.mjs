// Child process of the kill -9 test: the real `popagent` command (main.ts) under tsx. ccxt is loaded natively
// before tsx's hooks are registered (under the hooks its few hundred modules load several times slower).
// Usage: node --conditions=@trading-ml/source live-child-entry.mjs live --testnet … --pause-at after-send
import 'ccxt';
import { register } from 'tsx/esm/api';

register();
await import('../../main.ts');
