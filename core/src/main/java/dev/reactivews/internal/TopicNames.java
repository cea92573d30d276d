package dev.reactivews.internal;

/**
 * The topic names a client may use: 1 to {@value #MAX_BYTES} bytes of UTF-8, without control
 * characters (a name is written to logs and, with Redis, into a channel name) and without lone
 * surrogates (UTF-8 cannot hold them: every such name would become the same Redis channel, so
 * leaving one could cut off another).
 */
final class TopicNames {
  static final int MAX_BYTES = 256;

  private TopicNames() {}

  static boolean isValid(String topic) {
    if (topic.isEmpty() || topic.length() > MAX_BYTES) {
      return false;
    }
    int bytes = 0;
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (Character.isISOControl(c) || LogText.isLoneSurrogate(topic, i)) {
        return false;
      }
      // Each half of a surrogate pair counts 2: the pair is 4 bytes.
      bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
    return bytes <= MAX_BYTES;
  }
}
