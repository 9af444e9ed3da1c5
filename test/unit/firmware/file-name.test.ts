import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { factsFromFileName } from '../../../electron/core/firmware/file-name';

describe('factsFromFileName', () => {
  test('Mitel package names (phone-facts §2 and a Mitel download URL)', () => {
    assert.deepEqual(factsFromFileName('58015372REV035001018SP16867i.zip'), {
      model: '6867i',
      version: '5.0.0.1018',
      servicePack: 'SP1',
      partNumber: '58015372',
      revision: 'REV03',
    });
    assert.deepEqual(factsFromFileName('58015546rev00450416869i.zip'), {
      model: '6869i',
      version: '4.5.0.41',
      servicePack: null,
      partNumber: '58015546',
      revision: 'REV00',
    });
    assert.equal(factsFromFileName('58015373rev035001018sp16865i.zip').model, '6865i');
    assert.equal(factsFromFileName('C:\\Downloads\\58015372REV035001018SP16867i.zip').version, '5.0.0.1018');
    // a build ending in 6 is not eaten by the model
    assert.deepEqual(
      [
        factsFromFileName('58015546REV004504166869i.zip').version,
        factsFromFileName('58015546REV004504166869i.zip').model,
      ],
      ['4.5.0.416', '6869i'],
    );
  });

  test('dotted versions and bare model names', () => {
    assert.deepEqual(factsFromFileName('6867i-6.5.0.224.st'), {
      model: '6867i',
      version: '6.5.0.224',
      servicePack: null,
      partNumber: null,
      revision: null,
    });
    assert.deepEqual([factsFromFileName('6865i.st').model, factsFromFileName('6865i.st').version], ['6865i', null]);
    assert.deepEqual([factsFromFileName('firmware.st').model, factsFromFileName('firmware.st').version], [null, null]);
    assert.equal(factsFromFileName('6867i_R6.5.0.224_final.st').version, '6.5.0.224');
    assert.equal(factsFromFileName('6867i-6.5.0.st').version, null, 'three fields are not a version');
    assert.equal(factsFromFileName('6867i-1.2.3.4.5.st').version, null, 'five fields are not a version');
  });

  test('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        factsFromFileName(s);
      }),
    );
    assert.equal(factsFromFileName('x'.repeat(300)).model, null);
  });
});
