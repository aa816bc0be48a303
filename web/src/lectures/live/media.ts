/**
 * What a teacher broadcasts: the camera, the screen, or the screen with the
 * camera in a corner (composed on a canvas, so viewers and the recording
 * get one video track), with the microphone if chosen.
 */
export type Source = "camera" | "screen" | "both";

export interface Capture {
  stream: MediaStream;
  stop(): void;
}

export async function capture(source: Source, microphone: boolean): Promise<Capture> {
  const owned: MediaStream[] = [];
  const take = (s: MediaStream) => (owned.push(s), s);
  try {
    const audio = microphone ? take(await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks() : [];
    const camera = source !== "screen" ? take(await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 } })) : null;
    const screen = source !== "camera" ? take(await navigator.mediaDevices.getDisplayMedia({ video: true })) : null;
    let video = (screen ?? camera)!.getVideoTracks();
    let stopCanvas = () => {};
    if (screen && camera) {
      const composed = compose(screen, camera);
      video = composed.stream.getVideoTracks();
      stopCanvas = composed.stop;
    }
    return {
      stream: new MediaStream([...video, ...audio]),
      stop: () => {
        stopCanvas();
        for (const s of owned) for (const t of s.getTracks()) t.stop();
      },
    };
  } catch (error) {
    for (const s of owned) for (const t of s.getTracks()) t.stop();
    throw error;
  }
}

/** The screen full size and the camera in the lower right, 30 frames a second. */
function compose(screen: MediaStream, camera: MediaStream): { stream: MediaStream; stop(): void } {
  const play = (s: MediaStream) => {
    const v = document.createElement("video");
    v.muted = true;
    v.srcObject = s;
    void v.play();
    return v;
  };
  const [big, small] = [play(screen), play(camera)];
  const canvas = document.createElement("canvas");
  canvas.width = 1280;
  canvas.height = 720;
  const ctx = canvas.getContext("2d")!;
  const timer = setInterval(() => {
    ctx.drawImage(big, 0, 0, canvas.width, canvas.height);
    const w = canvas.width / 4;
    ctx.drawImage(small, canvas.width - w - 16, canvas.height - (w * 9) / 16 - 16, w, (w * 9) / 16);
  }, 1000 / 30);
  return { stream: canvas.captureStream(30), stop: () => clearInterval(timer) };
}
