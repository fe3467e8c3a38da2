// @vitest-environment happy-dom
import { render } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { channelList } from '../../src/ui/parts.js';
import { link, richText, safeHref } from '../../src/ui/text.js';

describe('safe text', () => {
  it('links only http(s) and relative URLs', () => {
    for (const url of ['https://example.com/p', 'http://example.com', 'full-text.html', '/privacy', 'policy/zh.html#s3', '?v=2']) expect(safeHref(url)).toBe(url);
    for (const url of ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', 'file:///etc/passwd', '', undefined, null]) {
      expect(safeHref(url)).toBeUndefined();
    }
  });

  it('renders **bold** as <strong> and nothing else as markup', () => {
    const { container } = render(<p>{richText('我们会收集**身份证号码**和<b>银行卡</b>')}</p>);
    expect(container.querySelector('strong')?.textContent).toBe('身份证号码');
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toBe('我们会收集身份证号码和<b>银行卡</b>');
  });

  it('leaves an unmatched ** as text', () => {
    const { container } = render(<p>{richText('a**b')}</p>);
    expect(container.innerHTML).toBe('<p>a**b</p>');
  });

  it('renders an unsafe URL as text, not as a link', () => {
    const { container } = render(link('javascript:alert(1)', '看这里'));
    expect(container.querySelector('a')).toBeNull();
    expect(container.textContent).toBe('看这里');
    const channels = render(<>{channelList([{ type: 'web', value: 'javascript:alert(1)' }, { type: 'web', value: 'https://example.com/help' }])}</>);
    const links = channels.container.querySelectorAll('a');
    expect(links).toHaveLength(1);
    expect(links[0]!.getAttribute('href')).toBe('https://example.com/help');
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer');
  });
});
