import { render } from "solid-js/web";
import { App } from "./App";
import "./styles.css";
import "./layout.css";

render(() => <App />, document.getElementById("app")!);
