/**
 * The library face of securenn: the types a Java program uses to import a model, split it and its inputs into
 * shares, run the three parties and read the answer, without touching segments, arenas or raw fraction bits.
 *
 * <ul>
 *   <li>{@link securenn.api.PlainModel}: the model owner's plaintext model (imported from ONNX, read from a model
 *       file, or trained), split into {@link securenn.api.ModelShares} for P0 and P1.</li>
 *   <li>{@link securenn.api.Tensor}: plaintext values with a shape (a batch of inputs, or the logits).</li>
 *   <li>{@link securenn.api.SharedTensor}: one party's additive share of a tensor over Z_2^64, carrying its shape
 *       and its fixed-point encoding; {@link securenn.api.SharedTensor#split} and
 *       {@link securenn.api.SharedTensor#reconstruct} are the client's two steps.</li>
 *   <li>{@link securenn.api.ThreeParties}: P0, P1 and P2 in this JVM over Aeron IPC, with fresh session keys:
 *       secure inference, and secure training under {@link securenn.api.TrainingOptions}.</li>
 * </ul>
 *
 * <p><b>Threat model of this package.</b> Splits use fresh randomness ({@link java.security.SecureRandom}-seeded
 * AES-CTR). {@link securenn.api.ThreeParties} runs all three parties in one process: it computes exactly what three
 * hosts compute and shows which share each party holds, but one process sees everything, so it protects nothing
 * against whoever runs it. It is for development, tests and embedding where one operator holds all three roles.
 * A deployment runs one party per host: {@code securenn serve} (the service, with {@code InferenceClient} in
 * {@code securenn.service} as the Java client) or {@code securenn party} / {@code train-party} (see README).
 *
 * <p>Stability: the types of this package (and the records they return: {@link securenn.mpc.FixedPoint},
 * {@link securenn.mpc.Role}, {@link securenn.nn.Preprocessing}, {@link securenn.nn.NetworkSpec}) are the stable
 * surface; everything else in the engine may change between versions. docs/LIBRARY.md has a complete example,
 * compiled and run by the test suite ({@code LibraryExampleTest}).
 */
package securenn.api;
