/**
 * Stream's WebRTC ingest and playback: WHIP to publish, WHEP to play. One
 * HTTP POST of the SDP offer answers with the SDP answer; Stream's edge
 * does the rest. https://developers.cloudflare.com/stream/webrtc-beta/
 */
import { rtcConfig } from "./peers";

async function exchange(url: string, pc: RTCPeerConnection): Promise<void> {
  await pc.setLocalDescription(await pc.createOffer());
  // WHIP and WHEP take the offer with its candidates: wait (briefly) for gathering to finish.
  await new Promise<void>((resolve) => {
    if (pc.iceGatheringState === "complete") return resolve();
    const timer = setTimeout(resolve, 2000);
    pc.addEventListener("icegatheringstatechange", () => {
      if (pc.iceGatheringState === "complete") {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/sdp" }, body: pc.localDescription!.sdp });
  if (!res.ok) throw new Error(`Cloudflare Stream refused the connection (${res.status}).`);
  await pc.setRemoteDescription({ type: "answer", sdp: await res.text() });
}

/** Publishes `stream` to a Stream live input's WebRTC URL. */
export async function publish(whipUrl: string, stream: MediaStream): Promise<RTCPeerConnection> {
  const pc = new RTCPeerConnection(rtcConfig());
  for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: "sendonly", streams: [stream] });
  await exchange(whipUrl, pc);
  return pc;
}

/** Plays a Stream live input's WebRTC playback URL. */
export async function play(whepUrl: string, onStream: (stream: MediaStream) => void): Promise<RTCPeerConnection> {
  const pc = new RTCPeerConnection(rtcConfig());
  pc.addTransceiver("video", { direction: "recvonly" });
  pc.addTransceiver("audio", { direction: "recvonly" });
  pc.ontrack = (e) => onStream(e.streams[0] ?? new MediaStream([e.track]));
  await exchange(whepUrl, pc);
  return pc;
}
