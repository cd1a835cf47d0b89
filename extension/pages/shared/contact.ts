/**
 * The policy's contact as a node: a mailto link for an email address, a link for an
 * http(s) URL, plain text otherwise. Never HTML: the text comes from a policy document.
 */
export function contactNode(doc: Document, contact: string): Node {
  const a = doc.createElement('a');
  a.textContent = contact;
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact)) {
    a.href = `mailto:${contact}`;
    return a;
  }
  if (/^https?:\/\/\S+$/i.test(contact)) {
    a.href = contact;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return a;
  }
  return doc.createTextNode(contact);
}
