import { describe, expect, it } from 'vitest';
import { formatForFile } from '../../src/formats/format-for-file.js';

describe('formatForFile', () => {
  it.each([
    ['a.json', 'json'],
    ['deep/dir/package.json', 'json'],
    ['settings.jsonc', 'jsonc'],
    ['tsconfig.json', 'jsonc'],
    ['packages/x/tsconfig.build.json', 'jsonc'],
    ['jsconfig.json', 'jsonc'],
    ['.vscode/settings.json', 'jsonc'],
    ['.devcontainer/devcontainer.json', 'jsonc'],
    ['.devcontainer.json', 'jsonc'],
    ['team.code-workspace', 'jsonc'],
    ['k8s/app.yaml', 'yaml'],
    ['ci.yml', 'yaml'],
    ['Cargo.toml', 'toml'],
    ['php.ini', 'ini'],
    ['.env', 'dotenv'],
    ['config/.env', 'dotenv'],
    ['.env.production', 'dotenv'],
    ['prod.env', 'dotenv'],
    ['app.properties', 'properties'],
    ['pom.xml', 'xml'],
    ['nginx.conf', 'text'],
    ['Dockerfile', 'text'],
    ['.envrc', 'text'],
    ['logo.png', 'text'],
    ['README', 'text'],
  ] as const)('%s is %s', (file, format) => {
    expect(formatForFile(file)).toBe(format);
  });

  it('ignores the case of extensions', () => {
    expect(formatForFile('APP.YAML')).toBe('yaml');
    expect(formatForFile('Settings.JSON')).toBe('json');
  });

  it('never picks binary by name', () => {
    expect(formatForFile('image.png')).not.toBe('binary');
  });
});
