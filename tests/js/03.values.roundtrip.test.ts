// Every kind of value written and read back unchanged, with the edge cases of each type.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import type { RegValue, RegValueInput } from 'regbridge';

import { describeEachMode, loose, rejectsWith, testKey } from './00.setup';

/** UTF-16LE bytes of `text`, with the terminating NUL Windows stores. */
function utf16z(text: string): Buffer {
  return Buffer.concat([Buffer.from(text, 'utf16le'), Buffer.alloc(2)]);
}

describeEachMode('03 values: round trips', function (t) {
  const key = testKey('values');

  async function roundTrip(name: string, value: RegValueInput, expected: RegValue = value as RegValue): Promise<void> {
    await t.reg.writeValue(key, name, value);
    assert.deepEqual(await t.reg.readValue(key, name), expected);
  }

  it('REG_SZ: empty, ASCII, non-ASCII, astral, quotes and escapes, an inner NUL', async function () {
    const texts = ['', 'plain', 'Grüße, Ünïcödé ☃', 'astral 😀𝄞 and 🇺🇳', 'quote " back\\slash [x] \n\t\r', 'a\u0000b'];
    for (const [i, data] of texts.entries()) await roundTrip(`sz${i}`, { type: 'REG_SZ', data });
    assert.equal(await t.reg.readStringValue(key, 'sz3'), 'astral 😀𝄞 and 🇺🇳');
  });

  it('REG_EXPAND_SZ keeps %VARIABLES% unexpanded and reads as a string', async function () {
    await roundTrip('expand', { type: 'REG_EXPAND_SZ', data: '%SystemRoot%\\system32;%PATH%' });
    assert.equal(await t.reg.readStringValue(key, 'expand'), '%SystemRoot%\\system32;%PATH%');
  });

  it('REG_MULTI_SZ: an empty list, non-ASCII', async function () {
    const lists = [['a', 'b'], [], ['ü', '😀', 'plain']];
    for (const [i, data] of lists.entries()) await roundTrip(`multi${i}`, { type: 'REG_MULTI_SZ', data });
  });

  it('REG_MULTI_SZ with an empty string is refused (Windows readers stop there) but stored bytes holding one read back', async function () {
    for (const data of [['', 'a'], ['a', '', 'b'], ['a', ''], ['']]) {
      await rejectsWith(
        t.reg.writeValue(key, 'multi-empty', { type: 'REG_MULTI_SZ', data }),
        'ERR_INVALID_ARGUMENT',
        new RegExp(`string ${data.indexOf('')} of the REG_MULTI_SZ data is empty.*Buffer`),
      );
    }
    const bytes = Buffer.from('a\0\0b\0\0', 'utf16le');
    await t.reg.writeValue(key, 'multi-raw', { type: 'REG_MULTI_SZ', data: bytes });
    assert.deepEqual(await t.reg.readValue(key, 'multi-raw'), { type: 'REG_MULTI_SZ', data: ['a', '', 'b'] });
    assert.deepEqual((await t.reg.readValue(key, 'multi-raw', { raw: true })).data, bytes);
  });

  it('REG_DWORD: 0, 0x7FFFFFFF, 0xFFFFFFFF', async function () {
    await roundTrip('d0', { type: 'REG_DWORD', data: 0 });
    await roundTrip('dmax31', { type: 'REG_DWORD', data: 0x7fffffff });
    await roundTrip('dmax', { type: 'REG_DWORD', data: 0xffffffff });
    await roundTrip('dbig', { type: 'REG_DWORD', data: loose(7n) }, { type: 'REG_DWORD', data: 7 });
    assert.deepEqual((await t.reg.readValue(key, 'dmax31', { raw: true })).data, Buffer.from([0xff, 0xff, 0xff, 0x7f]));
  });

  it('REG_DWORD_BIG_ENDIAN stores the bytes big-endian', async function () {
    await roundTrip('be', { type: 'REG_DWORD_BIG_ENDIAN', data: 0x12345678 });
    assert.deepEqual((await t.reg.readValue(key, 'be', { raw: true })).data, Buffer.from([0x12, 0x34, 0x56, 0x78]));
  });

  it('REG_QWORD: 0n, 2^64-1 as a bigint, a number written reads back as a bigint', async function () {
    await roundTrip('q0', { type: 'REG_QWORD', data: 0n });
    await roundTrip('qmax', { type: 'REG_QWORD', data: 2n ** 64n - 1n });
    await roundTrip('q53', { type: 'REG_QWORD', data: 2n ** 53n + 1n });
    await roundTrip('qnum', { type: 'REG_QWORD', data: 5 }, { type: 'REG_QWORD', data: 5n });
    assert.deepEqual((await t.reg.readValue(key, 'qmax', { raw: true })).data, Buffer.alloc(8, 0xff));
  });

  it('REG_BINARY: empty, and 1 MiB of random bytes', async function () {
    await roundTrip('bin0', { type: 'REG_BINARY', data: Buffer.alloc(0) });
    const big = randomBytes(1 << 20);
    await roundTrip('bin1m', { type: 'REG_BINARY', data: big });
    const read = await t.reg.readValue(key, 'bin1m');
    assert.ok(Buffer.isBuffer(read.data));
    assert.ok(big.equals(read.data as Buffer));
  });

  it('byte values read one after another stay each its own: empty first, then sizes around 4 KiB and 8 KiB', async function () {
    // In-process, small byte values are views of a shared pool (8 KiB, values up to 4 KiB): a later read must not
    // change what an earlier one returned, and an empty value may come first of all.
    const sizes = [0, 1, 7, 8, 9, 4095, 4096, 4097, 8191, 8192, 8193, 3000, 3000, 3000, 0, 5];
    await t.reg.writeValue(key, 'none0', { type: 'REG_NONE', data: Buffer.alloc(0) });
    // A store that has read no bytes yet (the first read, of a string, loads the hive) reads the empty value first.
    await t.reg.writeValue(key, 'text', { type: 'REG_SZ', data: 'loaded' });
    const fresh = await t.open(t.prefix);
    assert.deepEqual(await fresh.readValue(key, 'text'), { type: 'REG_SZ', data: 'loaded' });
    assert.deepEqual(await fresh.readValue(key, 'none0'), { type: 'REG_NONE', data: Buffer.alloc(0) });
    const written = sizes.map((size) => randomBytes(size));
    for (const [i, data] of written.entries()) await t.reg.writeValue(key, `pool${i}`, { type: 'REG_BINARY', data });
    const read: RegValue[] = [];
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < sizes.length; i++) read.push(await t.reg.readValue(key, `pool${i}`));
    for (const [j, value] of read.entries()) {
      assert.equal(value.type, 'REG_BINARY');
      assert.ok(Buffer.isBuffer(value.data));
      assert.ok(written[j % sizes.length].equals(value.data as Buffer), `read ${j} (${sizes[j % sizes.length]} bytes)`);
    }
  });

  it('REG_NONE, REG_LINK and the resource types are Buffers with their names', async function () {
    for (const type of ['REG_NONE', 'REG_LINK', 'REG_RESOURCE_LIST', 'REG_FULL_RESOURCE_DESCRIPTOR'] as const) {
      await roundTrip(type, { type, data: Buffer.from([1, 2, 3, 4]) });
    }
  });

  it('unknown type codes come back as the number, with Buffer data', async function () {
    for (const type of [12, 0xffff0011, 0xffffffff]) {
      await roundTrip(`t${type}`, { type, data: Buffer.from([0xde, 0xad]) });
    }
    await roundTrip('tnum1', { type: 1, data: Buffer.from('hi\0', 'utf16le') }, { type: 'REG_SZ', data: 'hi' });
  });

  it('a Uint8Array is accepted as data and read back as a Buffer', async function () {
    await roundTrip(
      'u8',
      { type: 'REG_BINARY', data: new Uint8Array([9, 8, 7]) },
      { type: 'REG_BINARY', data: Buffer.from([9, 8, 7]) },
    );
  });

  it('a Buffer is stored as it is for a typed value', async function () {
    await roundTrip('szbytes', { type: 'REG_SZ', data: utf16z('from bytes') }, { type: 'REG_SZ', data: 'from bytes' });
    await roundTrip('dwbytes', { type: 'REG_DWORD', data: Buffer.from([1, 0, 0, 0]) }, { type: 'REG_DWORD', data: 1 });
  });

  it('bytes that do not fit the type come back as a Buffer', async function () {
    await roundTrip('oddsz', { type: 'REG_SZ', data: Buffer.from([0x41, 0x00, 0x42]) });
    await roundTrip('shortdw', { type: 'REG_DWORD', data: Buffer.from([1, 2, 3]) });
    await roundTrip('longqw', { type: 'REG_QWORD', data: Buffer.alloc(9) });
    await roundTrip('oddmulti', { type: 'REG_MULTI_SZ', data: Buffer.from([0x41, 0x00, 0x00]) });
  });

  it('raw reads give the stored bytes, and writing them back changes nothing', async function () {
    const values: Array<[string, RegValueInput]> = [
      ['sz', { type: 'REG_SZ', data: 'text 😀' }],
      ['multi', { type: 'REG_MULTI_SZ', data: ['a', 'b', 'ü'] }],
      ['multi-empty', { type: 'REG_MULTI_SZ', data: Buffer.from('a\0\0ü\0\0', 'utf16le') }],
      ['dw', { type: 'REG_DWORD', data: 0xdeadbeef }],
      ['qw', { type: 'REG_QWORD', data: 2n ** 64n - 2n }],
      ['odd', { type: 0xffff0011, data: Buffer.from([1]) }],
    ];
    for (const [name, value] of values) await t.reg.writeValue(key, name, value);
    for (const [name] of values) {
      const typed = await t.reg.readValue(key, name);
      const raw = await t.reg.readValue(key, name, { raw: true });
      assert.equal(raw.type, typed.type);
      assert.ok(Buffer.isBuffer(raw.data));
      await t.reg.writeValue(key, `${name}-copy`, raw);
      assert.deepEqual(await t.reg.readValue(key, `${name}-copy`, { raw: true }), raw);
      assert.deepEqual(await t.reg.readValue(key, `${name}-copy`), typed);
    }
    assert.deepEqual((await t.reg.readValue(key, 'sz', { raw: true })).data, utf16z('text 😀'));
  });

  it('the default value has the name ""', async function () {
    await roundTrip('', { type: 'REG_SZ', data: 'default' });
    const listed = await t.reg.listValues(key);
    assert.deepEqual(listed, [{ name: '', type: 'REG_SZ', data: 'default' }]);
  });

  it('non-ASCII and astral characters in key names and value names', async function () {
    const odd = testKey('Ünïcödé ☃', '😀 emoji 𝄞', 'slash/in/name', 'quote"[brackets]');
    await t.reg.writeValue(odd, '名前 😀', { type: 'REG_SZ', data: 'データ 🎉' });
    assert.equal(await t.reg.readStringValue(odd, '名前 😀'), 'データ 🎉');
    assert.deepEqual(await t.reg.listSubkeys(testKey('Ünïcödé ☃')), ['😀 emoji 𝄞']);
    assert.deepEqual(await t.reg.listSubkeys(testKey('Ünïcödé ☃', '😀 emoji 𝄞')), ['slash/in/name']);
    assert.deepEqual(await t.reg.listValues(odd), [{ name: '名前 😀', type: 'REG_SZ', data: 'データ 🎉' }]);
  });

  it('value names of every length around the addon’s stack buffer, ending in 2-, 3- and 4-byte characters', async function () {
    // The addon copies a string argument into a stack buffer (512 UTF-16 units) and must tell a whole copy from a
    // cut one; a surrogate pair may straddle the end, and a lone surrogate or a U+FFFD may end it.
    const names: string[] = [];
    for (let length = 500; length <= 520; length++)
      for (const tail of ['', 'é', '☃', '😀', '\uFFFD', '\uD800']) names.push('n'.repeat(length) + tail);
    for (const name of names) await t.reg.writeValue(key, name, { type: 'REG_SZ', data: name.slice(-4) });
    for (const name of names) assert.equal(await t.reg.readStringValue(key, name), name.slice(-4));
    const listed = (await t.reg.listValues(key)).map((v) => v.name);
    assert.deepEqual([...listed].sort(), [...names].sort());
  });

  it('listValues gives every value with its name, typed or raw', async function () {
    await t.reg.writeValue(key, 'a', { type: 'REG_SZ', data: 'x' });
    await t.reg.writeValue(key, 'b', { type: 'REG_DWORD', data: 2 });
    await t.reg.writeValue(key, 'c', { type: 'REG_QWORD', data: 3n });
    const byName = (list: Array<{ name: string }>) => [...list].sort((x, y) => (x.name < y.name ? -1 : 1));
    assert.deepEqual(byName(await t.reg.listValues(key)), [
      { name: 'a', type: 'REG_SZ', data: 'x' },
      { name: 'b', type: 'REG_DWORD', data: 2 },
      { name: 'c', type: 'REG_QWORD', data: 3n },
    ]);
    assert.deepEqual(byName(await t.reg.listValues(key, { raw: true })), [
      { name: 'a', type: 'REG_SZ', data: utf16z('x') },
      { name: 'b', type: 'REG_DWORD', data: Buffer.from([2, 0, 0, 0]) },
      { name: 'c', type: 'REG_QWORD', data: Buffer.from([3, 0, 0, 0, 0, 0, 0, 0]) },
    ]);
  });

  it('overwriting a value replaces its type and data', async function () {
    await t.reg.writeValue(key, 'v', { type: 'REG_SZ', data: 'first' });
    await roundTrip('v', { type: 'REG_DWORD', data: 42 });
    assert.equal((await t.reg.listValues(key)).length, 1);
  });

  it('values persist: a new registry on the same prefix reads them', async function () {
    await t.reg.writeValue(key, 'kept', { type: 'REG_MULTI_SZ', data: ['x', 'y'] });
    await t.reg.close();
    const again = await t.open(t.prefix);
    assert.deepEqual(await again.readValue(key, 'kept'), { type: 'REG_MULTI_SZ', data: ['x', 'y'] });
  });
});
