/**
 * MediaRecorder in the teacher's browser, feeding the recording's parts
 * (recorder.ts) as the class goes.
 */
import { PartCutter, PartSender, recordingTransport, type RecordingProgress } from "./recorder";

/** The type MediaRecorder writes here: WebM (VP8/VP9 and Opus) in Chromium and Firefox. */
export function recordingType(): string {
  for (const type of ["video/webm;codecs=vp9,opus", "video/webm;codecs=vp8,opus", "video/webm"]) if (MediaRecorder.isTypeSupported(type)) return type;
  return "";
}

/** Records `stream` into the upload until stopped; `stop` resolves once the recording is a lecture. */
export function recordInto(stream: MediaStream, upload: { uploadId: string; partSize: number }, onProgress: (p: RecordingProgress) => void): { stop(): Promise<void> } {
  const cutter = new PartCutter(upload.partSize);
  const sender = new PartSender(recordingTransport(upload.uploadId), onProgress);
  const type = recordingType();
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
  const started = performance.now();
  recorder.ondataavailable = (e) => {
    for (const part of cutter.push(e.data)) void sender.enqueue(part.n, part.body);
  };
  const stopped = new Promise<void>((resolve) => (recorder.onstop = () => resolve()));
  // A chunk a second: a part is ready as soon as its bytes are.
  recorder.start(1000);
  return {
    async stop() {
      if (recorder.state !== "inactive") recorder.stop();
      await stopped;
      const duration = (performance.now() - started) / 1000;
      const last = cutter.finish();
      if (!last) throw new Error("Nothing was recorded.");
      void sender.enqueue(last.n, last.body, true);
      await sender.finish(duration);
    },
  };
}
