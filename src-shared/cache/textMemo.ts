// A pure function's answers by the text it reads, for the last few hundred texts: parses that every deploy repeats on the
// same certificates and keys (hundreds of nodes' worth) are made once per application run.

/** `read` remembered by its argument, the `max` newest answers (a throw is not remembered: it is thrown again). */
export function textMemo<T>(read: (text: string) => T, max = 4_096): (text: string) => T {
  const answers = new Map<string, T>();
  return (text) => {
    if (answers.has(text)) return answers.get(text) as T;
    const answer = read(text);
    if (answers.size >= max) answers.delete(answers.keys().next().value!);
    answers.set(text, answer);
    return answer;
  };
}
