import { describe, expect, it } from 'vitest';
import { captureGatewayError } from '../../../test/unit/support/errors.js';
import { decodeHFSpeechRecognitionResponse, encodeHFSpeechRecognitionRequest } from './speech-recognition.js';
import { decodeHFTextToImageResponse, encodeHFTextToImageRequest } from './text-to-image.js';

/** A 1×1 PNG and the first bytes of a JPEG, as diffusion servers return them. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);

describe('text-to-image codec', () => {
  it('maps prompt, size and the task knobs', () => {
    expect(encodeHFTextToImageRequest({ prompt: 'A red dot', size: '512x768', negativePrompt: 'blur', numInferenceSteps: 4, guidanceScale: 3.5, seed: 9 })).toEqual({
      inputs: 'A red dot',
      parameters: { negative_prompt: 'blur', width: 512, height: 768, num_inference_steps: 4, guidance_scale: 3.5, seed: 9 },
    });
    expect(encodeHFTextToImageRequest({ prompt: 'x', size: 'auto' })).toEqual({ inputs: 'x' });
  });

  it('refuses a size that is not WIDTHxHEIGHT', () => {
    expect(captureGatewayError(() => encodeHFTextToImageRequest({ prompt: 'x', size: 'large' })).param).toBe('size');
  });

  it('base64-encodes raw image bytes, typed by Content-Type or by their magic number', () => {
    expect(decodeHFTextToImageResponse({ body: PNG, contentType: 'image/png' })).toEqual({ b64Json: PNG.toString('base64'), mimeType: 'image/png' });
    expect(decodeHFTextToImageResponse({ body: JPEG, contentType: 'application/octet-stream' }).mimeType).toBe('image/jpeg');
    expect(decodeHFTextToImageResponse({ body: JPEG }).mimeType).toBe('image/jpeg');
  });

  it('reads the JSON `data[].b64_json` variant, and refuses what is not an image', () => {
    const json = Buffer.from(JSON.stringify({ data: [{ b64_json: PNG.toString('base64') }] }));
    expect(decodeHFTextToImageResponse({ body: json, contentType: 'application/json; charset=utf-8' })).toEqual({ b64Json: PNG.toString('base64'), mimeType: 'image/png' });
    expect(captureGatewayError(() => decodeHFTextToImageResponse({ body: Buffer.from('{"error":"x"}'), contentType: 'application/json' })).code).toBe('upstream_error');
    expect(captureGatewayError(() => decodeHFTextToImageResponse({ body: Buffer.from('<html>'), contentType: 'text/html' })).code).toBe('upstream_error');
  });
});

describe('automatic-speech-recognition codec', () => {
  it('sends the audio as base64 JSON, asking for timestamps only when wanted', () => {
    const audio = Buffer.from('fLaC\u0000\u0000\u0000"');
    expect(encodeHFSpeechRecognitionRequest({ audio })).toEqual({ inputs: audio.toString('base64') });
    expect(encodeHFSpeechRecognitionRequest({ audio, timestamps: true })).toEqual({ inputs: audio.toString('base64'), parameters: { return_timestamps: true } });
  });

  it('reads the text, and chunks as segments (an open last chunk ends where it starts)', () => {
    expect(decodeHFSpeechRecognitionResponse({ text: ' Hello world.' })).toEqual({ text: ' Hello world.' });
    expect(decodeHFSpeechRecognitionResponse({
      text: ' Hello world. Bye',
      chunks: [{ text: ' Hello world.', timestamp: [0, 1.5] }, { text: ' Bye', timestamp: [1.5, null] }, { text: 'bad' }],
    }).segments).toEqual([
      { id: 0, start: 0, end: 1.5, text: ' Hello world.' },
      { id: 1, start: 1.5, end: 1.5, text: ' Bye' },
    ]);
  });

  it('throws upstream_error without text', () => {
    expect(captureGatewayError(() => decodeHFSpeechRecognitionResponse({ error: 'x' })).code).toBe('upstream_error');
  });
});
