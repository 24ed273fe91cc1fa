/**
 * For adapters that need image bytes: http(s) image URLs in the request become data URLs,
 * fetched in parallel through the SSRF-guarded fetcher. Returns a new request; the caller's is
 * not modified.
 */
import type { ChatRequest, ContentPart, Message } from '../core/types.js';
import type { ImageFetcher, ImageFetchOptions } from '../transport/fetch-image.js';

export async function inlineImageUrls(request: ChatRequest, fetcher: ImageFetcher, options: ImageFetchOptions): Promise<ChatRequest> {
  const jobs: Array<Promise<void>> = [];
  const messages = request.messages.map((message, i): Message => {
    if (!Array.isArray(message.content)) return message;
    const content = message.content.map((part, j): ContentPart => {
      if (part.type !== 'image' || part.url.startsWith('data:')) return part;
      const copy = { ...part };
      jobs.push(fetcher.fetchAsDataUrl(part.url, `messages[${i}].content[${j}].image_url.url`, options).then((url) => {
        copy.url = url;
      }));
      return copy;
    });
    return { ...message, content };
  });
  if (jobs.length === 0) return request;
  await Promise.all(jobs);
  return { ...request, messages };
}
