// Child process of encryption-kill.test.ts (not itself a test file): starts the data service
// on a data folder holding a plaintext workspace from an earlier version and encrypts it, as
// the first start of this version does, printing `ready` just before and `done` after.
import { DataService } from '../../main/data-service/data-service';
import { TEST_KDF, TEST_PASSPHRASE } from '../unit/helpers';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: encryption-migrator.ts <data-dir>');
  process.exit(2);
}
const service = new DataService(dataDir, { kdf: TEST_KDF });
process.stdout.write('ready\n');
const state = service.profile().state;
if (state === 'needs-encryption') await service.protect(TEST_PASSPHRASE);
else if (state === 'locked') await service.unlock({ passphrase: TEST_PASSPHRASE });
else throw new Error(`unexpected state ${state}`);
service.close();
process.stdout.write('done\n');
