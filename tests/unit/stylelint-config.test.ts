// The renderer's CSS is checked in `npm test` (`npm run lint:css`) for mistakes a browser
// silently skips: a block left open swallows the rules after it, a misspelt property or
// colour does nothing, a second declaration or selector overrides the first unseen. Here:
// the project's config catches each of them, so loosening it fails a test.
import assert from 'node:assert/strict';
import test from 'node:test';
import stylelint from 'stylelint';

const lint = async (code: string) => {
  const { results } = await stylelint.lint({ code, configFile: '.stylelintrc.json' });
  return results[0]!.warnings.map((w) => w.rule);
};

test('the CSS check finds a block left open, duplicates, an invalid colour and an unknown property, and passes plain CSS', async () => {
  assert.deepEqual(await lint('.card { padding: 1rem;\n.title { color: #123456; }\n'), ['CssSyntaxError']);
  assert.deepEqual(await lint('.card { color: #12345z; }'), ['color-no-invalid-hex']);
  assert.deepEqual(await lint('.card { colour: red; }'), ['property-no-unknown']);
  assert.deepEqual(await lint('.card { margin: 0; margin: 1px; }'), ['declaration-block-no-duplicate-properties']);
  assert.deepEqual(await lint('.card { color: red; }\n.card { color: blue; }'), ['no-duplicate-selectors']);
  // No style is imposed: any spacing, order and notation of valid CSS passes.
  assert.deepEqual(await lint('.card{padding:1rem}\n\n\n.title   {  COLOR : #ABC ; margin:0 auto}'), []);
});
