# Reference side of the text tests: Hugging Face transformers' AutoTokenizer on a saved tokenizer
# folder. Reads a JSON request on stdin, writes JSON results on stdout.
#   encode:  tok(s)["input_ids"] (add_special_tokens left at its default: Qwen adds nothing)
#   chats:   apply_chat_template(messages, tokenize=True / False, ...)
#   expand:  Qwen2_5_VLProcessor.replace_image_token: each <|image_pad|> in the rendered text, in
#            order, becomes n copies, then the text is tokenized
#   sft:     labels as Qwen2.5-VL's official qwen-vl-finetune `preprocess_qwen_2_visual`: each
#            message rendered with its per-message template and tokenized alone; user/system
#            all IGNORE; assistant: the header (`<|im_start|>assistant\n`) masked, rest kept
#   decode:  tok.decode(ids, skip_special_tokens=...)
import copy
import json
import sys

from transformers import AutoTokenizer

IGNORE_INDEX = -100
OFFICIAL_TEMPLATE = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def ids_of(x):
    return list(x["input_ids"]) if isinstance(x, dict) or hasattr(x, "keys") else list(x)


def main():
    req = json.load(sys.stdin)
    tok = AutoTokenizer.from_pretrained(req["dir"])
    out = {"class": type(tok).__name__, "len": len(tok)}
    out["encode"] = [tok(s)["input_ids"] for s in req.get("encode", [])]
    out["chats"] = []
    for c in req.get("chats", []):
        kw = dict(add_generation_prompt=c.get("add_generation_prompt", False), add_vision_id=c.get("add_vision_id", False))
        text = tok.apply_chat_template(c["messages"], tokenize=False, **kw)
        ids = tok.apply_chat_template(c["messages"], tokenize=True, return_dict=False, **kw)
        out["chats"].append({"text": text, "ids": ids_of(ids)})
    out["expand"] = []
    for c in req.get("expand", []):
        text = tok.apply_chat_template(c["messages"], tokenize=False, add_generation_prompt=c.get("add_generation_prompt", False))
        for n in c["counts"]:
            text = text.replace("<|image_pad|>", "<|placeholder|>" * n, 1)
        text = text.replace("<|placeholder|>", "<|image_pad|>")
        out["expand"].append(tok(text)["input_ids"])
    out["sft"] = []
    for c in req.get("sft", []):
        t = copy.deepcopy(tok)
        t.chat_template = OFFICIAL_TEMPLATE
        input_id = ids_of(t.apply_chat_template([{"role": "system", "content": "You are a helpful assistant."}], return_dict=False))
        target = [IGNORE_INDEX] * len(input_id)
        header = len(tok("<|im_start|>assistant\n")["input_ids"])
        counts = list(c.get("counts", []))
        for m in c["messages"]:
            content = m["content"]
            while "<image>" in content:
                content = content.replace("<image>", "<|vision_start|>" + "<|image_pad|>" * counts.pop(0) + "<|vision_end|>", 1)
            ids = ids_of(t.apply_chat_template([{"role": m["role"], "content": content}], return_dict=False))
            input_id += ids
            if m["role"] in ("user", "system"):
                target += [IGNORE_INDEX] * len(ids)
            else:
                target += [IGNORE_INDEX] * header + ids[header:]
        out["sft"].append({"input_ids": input_id, "labels": target})
    out["decode"] = [tok.decode(d["ids"], skip_special_tokens=d["skip"]) for d in req.get("decode", [])]
    json.dump(out, sys.stdout)


main()
