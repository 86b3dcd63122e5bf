import { describe, expect, it } from 'vitest';
import { acceptable, bodyKind } from './content-type';

describe('bodyKind', () => {
  it('reads the Content-Type', () => {
    expect(bodyKind('text/html; charset=GBK')).toBe('html');
    expect(bodyKind('application/xhtml+xml')).toBe('html');
    expect(bodyKind('application/rss+xml; charset=utf-8')).toBe('xml');
    expect(bodyKind('text/xml')).toBe('xml');
    expect(bodyKind('application/pdf')).toBe('attachment');
    expect(bodyKind('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(
      'attachment',
    );
    expect(bodyKind('image/jpeg')).toBe('other');
    expect(bodyKind('application/json')).toBe('other');
  });
  it('sniffs when the header is missing or generic', () => {
    expect(bodyKind(undefined, Buffer.from('\n<!DOCTYPE html><html>'))).toBe('html');
    expect(bodyKind('text/plain', Buffer.from('<?xml version="1.0"?><rss>'))).toBe('xml');
    expect(bodyKind('application/octet-stream', Buffer.from('%PDF-1.4'))).toBe('attachment');
    expect(bodyKind('text/plain', Buffer.from('hello'))).toBe('other');
  });
  it('matches bodies to page kinds', () => {
    expect(acceptable('article', 'html')).toBe(true);
    expect(acceptable('article', 'xml')).toBe(false);
    expect(acceptable('feed', 'xml')).toBe(true);
  });
});
