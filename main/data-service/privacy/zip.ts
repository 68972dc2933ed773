// A zip archive of a few files made in memory (deflated, with UTF-8 names): the subject
// access export is handed over as one file, which one save dialog or one download takes and
// every desktop opens without extra software. Enough of the format (PKWARE APPNOTE 4.3) for
// that: no zip64, so each file and the whole archive stay under 4 GiB.
import { crc32, deflateRawSync } from 'node:zlib';

/** DOS time and date fields of `at`, local time as zip tools read them. */
function dosDateTime(at: Date): { time: number; date: number } {
  return {
    time: (at.getHours() << 11) | (at.getMinutes() << 5) | Math.floor(at.getSeconds() / 2),
    date: ((at.getFullYear() - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate(),
  };
}

export function zipFiles(files: { name: string; content: Buffer }[], at = new Date()): Buffer {
  const { time, date } = dosDateTime(at);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const data = deflateRawSync(file.content);
    const crc = crc32(file.content);
    // Version 2.0, bit 11: the name is UTF-8; method 8: deflate.
    const common = (header: Buffer, pos: number) => {
      header.writeUInt16LE(0x0800, pos + 2);
      header.writeUInt16LE(8, pos + 4);
      header.writeUInt16LE(time, pos + 6);
      header.writeUInt16LE(date, pos + 8);
      header.writeUInt32LE(crc, pos + 10);
      header.writeUInt32LE(data.length, pos + 14);
      header.writeUInt32LE(file.content.length, pos + 18);
      header.writeUInt16LE(name.length, pos + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    common(local, 4);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    common(central, 6);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
